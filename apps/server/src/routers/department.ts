import { departmentPeopleInputSchema } from "@countersign/domain";
import { departmentPeople } from "../services/users/department-parts.js";
import { authedProcedure, router } from "../trpc.js";

/** Inside a department (issue 15, point 2): its divisions and people, for the liaison's 分办 and the administration page. */
export const departmentRouter = router({
  people: authedProcedure.input(departmentPeopleInputSchema).query(({ ctx, input }) => ctx.store.read((repos) => departmentPeople(repos, ctx.user, input.department))),
});

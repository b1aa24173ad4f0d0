import { defaultSignInSettings } from "../sso/config.js";
import { publicProcedure, router } from "../trpc.js";

/** How this deployment signs people in, for the sign-in page (public: asked before anyone is signed in). */
export const ssoRouter = router({
  options: publicProcedure.query(({ ctx }) => {
    const settings = ctx.signIn ?? defaultSignInSettings;
    return { password: settings.password, sso: settings.oidc !== null, startPath: "/auth/oidc/start" };
  }),
});

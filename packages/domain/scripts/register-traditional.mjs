// Writes src/register/traditional.generated.ts: the traditional-script forms (Taiwan and Hong Kong standards) of every
// name of the register of departments, derived with opencc-js so that they are never typed by hand.
// Run after a build of the domain package: `node scripts/register-traditional.mjs`. The register's test fails when
// the file is out of date.
import { writeFileSync } from "node:fs";
import { traditionalFormsSource } from "./register-traditional-lib.mjs";

writeFileSync(new URL("../src/register/traditional.generated.ts", import.meta.url), await traditionalFormsSource());

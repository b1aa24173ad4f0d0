import { TRPCClientError } from "@trpc/client";
import i18next from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { en } from "../../i18n/en.js";
import { zh } from "../../i18n/zh.js";
import { signInFailureText, waitText } from "./sign-in-failure.js";

// Error answers exactly as the server sends them (see apps/server/src/http.test.ts), turned into the client's error.
function answer(status: number, code: string, refusalCode: string, message: string, extra: Record<string, unknown> = {}) {
  return TRPCClientError.from({
    error: { code: -32000, message, data: { code, httpStatus: status, path: "auth.login", refusalCode, field: null, issues: [], current: null, ...extra } },
  });
}

const serverLockMessage = "Too many failed sign-in attempts for this account or from this address; try again in 15 minutes.";
const locked = answer(429, "TOO_MANY_REQUESTS", "too_many_attempts", serverLockMessage, { retryAfterSeconds: 14 * 60 + 31 });

const en18n = i18next.createInstance();
const zh18n = i18next.createInstance();
beforeAll(async () => {
  await en18n.init({ lng: "en", resources: { en: { translation: en } }, interpolation: { escapeValue: false } });
  await zh18n.init({ lng: "zh", resources: { zh: { translation: zh } }, interpolation: { escapeValue: false } });
});

describe("signInFailureText", () => {
  it("says how long a locked sign-in lasts, in either language, from the server's seconds", () => {
    expect(signInFailureText(locked, en18n.t, "en")).toBe(
      "Too many failed sign-in attempts for this account or from this computer. Try again in 15 minutes.",
    );
    expect(signInFailureText(locked, zh18n.t, "zh")).toBe("该账号或本机登录失败次数过多，请 15 分钟后再试。");
  });

  it("falls back to the server's words (English) or a general notice (Chinese) when no time is given", () => {
    const bare = answer(429, "TOO_MANY_REQUESTS", "too_many_attempts", serverLockMessage);
    expect(signInFailureText(bare, en18n.t, "en")).toBe(serverLockMessage);
    expect(signInFailureText(bare, zh18n.t, "zh")).toBe("该账号或本机登录失败次数过多，请稍后再试。");
  });

  it("never says whether the name or the password was wrong", () => {
    const wrong = answer(401, "UNAUTHORIZED", "invalid_credentials", "The username or password is not correct.");
    expect(signInFailureText(wrong, zh18n.t, "zh")).toBe("用户名或密码不正确。");
    const blank = answer(400, "BAD_REQUEST", "invalid_input", "password: Enter your password.");
    expect(signInFailureText(blank, en18n.t, "en")).toBe("The username or password is not correct.");
  });

  it("passes on anything else in the server's words", () => {
    const down = new TRPCClientError("Failed to fetch");
    expect(signInFailureText(down, en18n.t, "en")).toBe("Failed to fetch");
  });
});

describe("waitText", () => {
  it("rounds up to whole minutes, and counts seconds under a minute", () => {
    expect(waitText(61, en18n.t)).toBe("2 minutes");
    expect(waitText(60, en18n.t)).toBe("1 minute");
    expect(waitText(42.2, en18n.t)).toBe("43 seconds");
    expect(waitText(0, zh18n.t)).toBe("1 秒");
    // The first progressive sign-in delay is one second: singular in English.
    expect(waitText(1, en18n.t)).toBe("1 second");
    expect(waitText(0.3, en18n.t)).toBe("1 second");
    expect(waitText(2, en18n.t)).toBe("2 seconds");
  });
});

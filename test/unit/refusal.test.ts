import { expect, it } from "vitest";
import { AppError, isAppError, refusal } from "../../src/errors.ts";

it("builds a refusal as a coded AppError without a stack trace, and leaves other errors' traces alone", () => {
  const refused = refusal("RATE_LIMITED", "Too many messages.", { details: { retryAfterSeconds: 3 } });
  expect(isAppError(refused, "RATE_LIMITED")).toBe(true);
  expect(refused).toMatchObject({ message: "Too many messages.", details: { retryAfterSeconds: 3 } });
  expect(refused.stack).not.toMatch(/\n\s+at /);
  expect(new AppError("INTERNAL", "broken").stack).toMatch(/\n\s+at /);
});

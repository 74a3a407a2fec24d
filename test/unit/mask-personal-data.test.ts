import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { maskPersonalData } from "../../src/privacy/mask-personal-data.ts";

describe("masking personal data", () => {
  it("masks emails, phone numbers, card numbers and Chinese ID numbers", () => {
    expect(maskPersonalData("write to li.wei+shop@example.com.cn or 张伟@例子.中国")).toBe("write to [email] or [email]");
    expect(maskPersonalData("手机 13812345678，+86 138 1234 5678，电话 010-12345678，(0755) 1234 5678")).toBe("手机 [phone]，[phone]，电话 [phone]，[phone]");
    expect(maskPersonalData("call +1 (415) 555-0100 or 415-555-0100")).toBe("call [phone] or [phone]");
    expect(maskPersonalData("card 4111 1111 1111 1111, 5500-0000-0000-0004, 4111111111111111")).toBe("card [card], [card], [card]");
    expect(maskPersonalData("身份证 11010519491231002X, 110105194912310021")).toBe("身份证 [id-number], [id-number]");
  });

  it("leaves prices, dates, SKUs, order numbers and measurements alone", () => {
    const text = "¥1999, launched 2024-05-01, SKU KF-APL-0201, order 20240501123456, 1,299 yuan, 2.4 GHz, 4111-1111-1111-1112, 30 x 40 cm";
    expect(maskPersonalData(text)).toBe(text);
  });

  it("keeps personal data out of log lines, error messages included", () => {
    const lines: string[] = [];
    const captured = createLogger({ level: "info", destination: new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }) });
    captured.info({ question: "reach me at a@b.com" }, "shopper 13812345678 asked");
    captured.error({ err: new Error("bad contact x@y.org") }, "failed");
    const output = lines.join("");
    expect(output).toContain("[email]");
    expect(output).not.toMatch(/a@b\.com|x@y\.org|13812345678/);
  });
});

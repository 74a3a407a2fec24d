import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSuite, eventually, PHONE, saveScreenshot } from "../support/browser.ts";
import { Shopper } from "../support/shopper.ts";
import type { TestApp } from "../support/start-test-app.ts";

const SAMPLE_STORE = fileURLToPath(new URL("../../knowledge/", import.meta.url));
const ADMIN = { email: "lead@pinebrook.test", password: "correct horse battery" };

/** Operators see which products the shopping assistant recommended and which shoppers opened. */
describe("recommendations in the dashboard", () => {
  const suite = browserSuite(["dashboard"]);
  let server: TestApp;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "kefu-rec-"));
    await cp(SAMPLE_STORE, folder, { recursive: true });
    server = await suite.start({ knowledgeDir: folder, env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }, overrides: { clock: () => new Date("2026-11-22T10:00:00Z") } }, "file");
    // Two shoppers are shown the purifier; one opens it.
    for (const open of [true, false]) {
      const shopper = new Shopper(server.url);
      await shopper.start({ locale: "en" });
      const sent = await shopper.send("Do you have an air purifier?");
      if (!sent.ok) throw new Error(JSON.stringify(sent));
      const end = await shopper.answerTo(sent.data.seq);
      if (open) expect(await shopper.socket.emitWithAck("recommendation-click", { answerId: end.answerId, sku: "KF-HOM-0303" })).toEqual({ ok: true, data: { counted: true } });
      shopper.close();
    }
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each([
    { lang: "en", device: { viewport: { width: 1440, height: 900 } }, name: "Pinebrook AP40 HEPA Air Purifier", rate: "50.0%", heading: "Recommendations", signIn: "Sign in", email: "Email", password: "Password" },
    { lang: "zh", device: PHONE, name: "松溪 AP40 HEPA 空气净化器", rate: "50.0%", heading: "商品推荐", signIn: "登录", email: "邮箱", password: "密码" },
  ] as const)("an admin sees shown and opened per product ($lang)", async ({ lang, device, name, rate, heading, signIn, email, password }) => {
    const { page, errors } = await suite.open({ ...device, locale: lang === "zh" ? "zh-CN" : "en-US" });
    await page.goto(`${server.url}/dashboard/#/knowledge/recommendations`);
    await page.getByLabel(email).fill(ADMIN.email);
    await page.getByLabel(password).fill(ADMIN.password);
    await page.getByRole("button", { name: signIn }).click();
    await page.getByRole("heading", { name: heading }).waitFor();
    const row = page.locator('.kn-recommendations tr[data-sku="KF-HOM-0303"]');
    await eventually(() => row.locator("td").allTextContents()).toEqual([`${name} KF-HOM-0303`, "2", "1", rate]);
    await saveScreenshot(page, `dashboard-recommendations-${lang}`);
    expect(errors).toEqual([]);
  });
});

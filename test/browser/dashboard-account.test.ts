import { beforeAll, describe, expect, it } from "vitest";
import { AgentClient, logIn } from "../support/agent-client.ts";
import { browserSuite, eventually, saveScreenshot } from "../support/browser.ts";
import type { TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "lead@pinebrook.test", password: "correct horse battery" };
const PEER = { email: "li.wei@pinebrook.test", name: "Li Wei", password: "another long passphrase" };

/**
 * The account page in a real browser: an admin disables a teammate (whose open dashboard closes
 * at once), enables them again, sets their password, and changes their own password while staying
 * signed in; every action goes through the real API with the browser's own Origin.
 */
describe("dashboard account page", () => {
  const suite = browserSuite(["dashboard"]);
  let server: TestApp;

  beforeAll(async () => {
    server = await suite.start({ env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password } }, "file");
    await server.app.agentAuth.createAgent({ ...PEER, role: "agent" });
  });

  it("disables and enables an agent, sets their password, and changes the admin's own", async () => {
    const { page, errors } = await suite.open({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/dashboard/`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".conn-online").waitFor();

    await page.locator("a.me").click();
    await page.getByRole("heading", { name: "Team" }).waitFor();
    const peerRow = page.locator("tr", { hasText: PEER.email });
    await peerRow.waitFor();
    expect(await page.locator("tr", { hasText: ADMIN.email }).getByRole("button", { name: "Disable" }).count()).toBe(0);

    // Disable Li Wei while their dashboard is open: it is told and closed.
    const peer = await AgentClient.connect(server.url, PEER.email, PEER.password);
    const ended = peer.next("session-ended");
    await peerRow.getByRole("button", { name: "Disable" }).click();
    await eventually(() => peerRow.textContent()).toContain("Disabled");
    expect(await ended).toEqual({ reason: "disabled" });
    peer.close();
    expect((await logIn(server.url, PEER.email, PEER.password)).status).toBe(403);
    await saveScreenshot(page, "dashboard-account-disabled");

    await peerRow.getByRole("button", { name: "Enable" }).click();
    await eventually(() => peerRow.textContent()).toContain("Active");
    await peerRow.getByRole("button", { name: "Set password" }).click();
    await peerRow.getByPlaceholder("New password").fill("set by the lead!!");
    await peerRow.getByRole("button", { name: "Set", exact: true }).click();
    await page.getByText(`Password set for ${PEER.email}`).waitFor();
    expect((await logIn(server.url, PEER.email, "set by the lead!!")).status).toBe(200);

    // The admin's own password: wrong current one refused, then changed, and the tab stays signed in.
    await page.getByLabel("Current password").fill("not my password");
    await page.getByLabel("New password (at least 10 characters)", { exact: true }).fill("a fresh admin passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.locator(".account .form-error").waitFor();
    await page.getByLabel("Current password").fill(ADMIN.password);
    await page.getByLabel("New password (at least 10 characters)", { exact: true }).fill("a fresh admin passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Password changed.").waitFor();
    await page.locator(".conn-online").waitFor();
    expect(await page.getByLabel("Email").count()).toBe(0);
    expect((await logIn(server.url, ADMIN.email, "a fresh admin passphrase")).status).toBe(200);
    expect((await logIn(server.url, ADMIN.email, ADMIN.password)).status).toBe(401);
    await saveScreenshot(page, "dashboard-account");
    expect(errors).toEqual([]);
  }, 90_000);
});

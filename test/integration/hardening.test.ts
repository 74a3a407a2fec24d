import { statSync, readdirSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { io } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { logIn } from "../support/agent-client.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

const ADMIN = { email: "admin@pinebrook.test", password: "correct horse battery" };
const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
let server: TestApp;

afterEach(async () => {
  await server?.close();
});

const faq = (url: string) => ({ documents: [{ type: "faq", id: "gift-wrap", title: "Gift wrap", lang: "en", url, entries: [{ question: "Do you gift wrap?", answer: "Yes, for free." }] }] });

describe("cross-site requests", () => {
  it("refuses a cookie-authenticated change from another origin, and accepts the dashboard's own and Bearer calls", async () => {
    server = await startTestApp({ env });
    const { token } = await logIn(server.url, ADMIN.email, ADMIN.password);
    const host = new URL(server.url).host;
    const post = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/admin/knowledge/changes`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(faq("/help/gift-wrap")) });
    const cookie = { cookie: `kefu_session=${token}` };

    // A page on another port of the same host (same site, so SameSite=Strict sends the cookie).
    for (const headers of [
      { ...cookie, origin: "http://127.0.0.1:1", "sec-fetch-site": "same-site" },
      { ...cookie, origin: "http://127.0.0.1:1" },
      { ...cookie, "sec-fetch-site": "cross-site" },
      cookie,
    ]) {
      const refused = await post(headers);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    expect(await server.app.knowledge.getDocument("faq:gift-wrap:en")).toBeNull();
    // A cross-site login is refused too (login CSRF), before any password work.
    const login = await fetch(`${server.url}/api/agent/login`, { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body: JSON.stringify(ADMIN) });
    expect(login.status).toBe(403);

    expect((await post({ ...cookie, "sec-fetch-site": "same-origin", origin: `http://${host}` })).status).toBe(200);
    expect((await post({ ...cookie, origin: `http://${host}` })).status).toBe(200);
    // The CLI and scripts: a Bearer token is no ambient credential.
    expect((await post({ authorization: `Bearer ${token}` })).status).toBe(200);
    expect(server.app.knowledge.getDocument("faq:gift-wrap:en")).not.toBeNull();
  });
});

describe("cross-site sockets", () => {
  it("opens an agent socket on the session cookie only from the server's own origin, never from one allowed to open sockets", async () => {
    server = await startTestApp({ env: { ...env, ALLOWED_ORIGINS: "http://shop.example.test" } });
    const { token } = await logIn(server.url, ADMIN.email, ADMIN.password);
    const open = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = io(`${server.url}/agent`, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: `kefu_session=${token}`, origin } });
        socket.once("connect", () => (socket.close(), resolve("connected")));
        socket.once("connect_error", (error: Error & { data?: { code?: string } }) => (socket.close(), resolve(error.data?.code ?? error.message)));
      });
    // A same-site page (the shop) rides on the cookie: refused. The dashboard, on the server's own origin, connects by it.
    expect(await open("http://shop.example.test")).toBe("FORBIDDEN");
    expect(await open(server.url)).toBe("connected");
  });
});

describe("request bodies", () => {
  it("answers an anonymous upload with 401 before reading its body, and caps the login body", async () => {
    server = await startTestApp({ env });
    const { port } = new URL(server.url);
    // Announce 20 MB, send 64 KB, and wait: the refusal must come without the rest.
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(`POST /api/admin/knowledge/upload?filename=catalog.jsonl HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain\r\nContent-Length: ${20 * 1024 * 1024}\r\n\r\n`);
        socket.write("x".repeat(64 * 1024));
      });
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
      setTimeout(() => reject(new Error(`no answer before the body was sent: ${received}`)), 5_000).unref();
    });
    expect(reply).toMatch(/^HTTP\/1\.1 401/);
    expect(reply).toMatch(/connection: close/i);
    expect(reply).toContain('"code":"UNAUTHORIZED"');

    const big = await fetch(`${server.url}/api/agent/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ADMIN.email, password: "x".repeat(10_000) }) });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });

    // An admin may still send a large document.
    const { token } = await logIn(server.url, ADMIN.email, ADMIN.password);
    const large = { ...faq("/help/gift-wrap"), documents: [{ ...faq("/help/gift-wrap").documents[0]!, entries: [{ question: "Do you gift wrap?", answer: "Yes. ".repeat(3_000) }] }] };
    const accepted = await fetch(`${server.url}/api/admin/knowledge/changes`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(large) });
    expect(accepted.status).toBe(200);
  });
});

describe("knowledge links", () => {
  it("accepts http(s) URLs and site paths only", async () => {
    server = await startTestApp({ env });
    const { token } = await logIn(server.url, ADMIN.email, ADMIN.password);
    const publish = (url: string) =>
      fetch(`${server.url}/api/admin/knowledge/changes`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify(faq(url)) });
    for (const url of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x", "help/gift-wrap"]) {
      const response = await publish(url);
      const body = (await response.json()) as { published?: boolean; report?: { problems: { message: string }[] } | null; error?: { code: string } };
      expect(body.published ?? false, url).toBe(false);
      expect(JSON.stringify(body), url).toMatch(/http\(s\) URL/);
    }
    expect(await server.app.knowledge.getDocument("faq:gift-wrap:en")).toBeNull();
    for (const url of ["https://shop.example.com/help/gift-wrap", "/help/gift-wrap"]) expect((await publish(url)).status, url).toBe(200);
    expect((await server.app.knowledge.getDocument("faq:gift-wrap:en"))?.url).toBe("/help/gift-wrap");
  });
});

describe("headers and files", () => {
  it("never copies a forged Host header into the CSP", async () => {
    server = await startTestApp({ env });
    const { port } = new URL(server.url);
    for (const path of ["/widget/frame.html", "/dashboard/"]) {
      const forged = await rawGet(Number(port), path, "evil.example; script-src 'unsafe-inline' *");
      expect(forged).not.toContain("unsafe-inline");
      expect(forged).toMatch(/content-security-policy: [^\r\n]*connect-src 'self'[;\r]/i);
      const normal = await rawGet(Number(port), path, `127.0.0.1:${port}`);
      expect(normal).toContain(`connect-src 'self' ws://127.0.0.1:${port} wss://127.0.0.1:${port}`);
    }
  });

  it("creates its data files readable by their owner only", async () => {
    server = await startTestApp({ env });
    const files = readdirSync(server.dataDir);
    expect(files).toEqual(expect.arrayContaining(["kefu.db", "agents.db", "curation.db", "knowledge.db", "vectors.hnsw"]));
    for (const file of files) {
      const { mode } = statSync(join(server.dataDir, file));
      if (statSync(join(server.dataDir, file)).isFile()) expect((mode & 0o077).toString(8), file).toBe("0");
    }
    expect(statSync(server.dataDir).mode & 0o077).toBe(0);
  });
});

function rawGet(port: number, path: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
    socket.on("close", () => resolve(received.split("\r\n\r\n")[0]!));
    socket.on("error", reject);
  });
}

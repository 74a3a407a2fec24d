import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAgentPayload, loginPayload } from "../../src/protocol/agent-payloads.ts";
import { startTestApp, type TestApp } from "../support/start-test-app.ts";

let server: TestApp;
type Document = { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> }; parameters?: { name: string; in: string }[] }>> };
let document: Document;

beforeAll(async () => {
  server = await startTestApp();
  const response = await fetch(`${server.url}/api/openapi.json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
});
afterAll(async () => {
  await server?.close();
});

type Layer = { route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };

/** Every route the running express app serves, as "METHOD /path/{param}". */
function servedRoutes(): string[] {
  const app = server.app.httpApp as unknown as { router: { stack: Layer[] } };
  const routes: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route && typeof layer.route.path === "string") for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${(layer.route.path as string).replace(/:(\w+)/g, "{$1}")}`);
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(app.router.stack);
  return routes;
}

describe("GET /api/openapi.json", () => {
  it("describes exactly the API routes the server serves", () => {
    expect(document.openapi).toBe("3.1.0");
    const described = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const served = servedRoutes().filter((route) => /^\w+ \/(api\/|healthz|readyz|metrics)/.test(route));
    expect(new Set(described)).toEqual(new Set(served));
  });

  it("gives request bodies as the JSON Schema of the zod schemas the routes validate with", async () => {
    const schemaOf = (path: string) => document.paths[path]!.post!.requestBody!.content["application/json"]!.schema;
    const { $schema: _a, ...login } = z.toJSONSchema(loginPayload, { io: "input" }) as Record<string, unknown>;
    expect(schemaOf("/api/agent/login")).toEqual(login);
    const { $schema: _b, ...agent } = z.toJSONSchema(createAgentPayload, { io: "input" }) as Record<string, unknown>;
    expect(schemaOf("/api/admin/agents")).toEqual(agent);
    expect(login).toMatchObject({ required: ["email", "password"], additionalProperties: false });

    // What the document calls invalid, the route refuses with the same schema's error.
    const refused = await fetch(`${server.url}/api/agent/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "a@example.com" }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "BAD_REQUEST" } });
  });

  it("lists path and query parameters", () => {
    const list = document.paths["/api/agent/conversations"]!.get!;
    expect(list.parameters!.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual(["query:filter", "query:search", "query:limit"]);
    expect(document.paths["/api/agent/conversations/{id}"]!.get!.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
  });
});

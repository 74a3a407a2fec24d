import express, { type Router } from "express";
import { z } from "zod";
import { ERROR_CODES } from "../errors.ts";
import { API_OPERATIONS, type ApiOperation } from "./api-operations.ts";

const errorBody = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

/** A zod schema as the JSON Schema of what a client sends (inputs: defaults optional, before transforms). */
function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

const SECURITY: Record<ApiOperation["access"], unknown[] | undefined> = {
  public: undefined,
  agent: [{ session: [] }, { cookie: [] }],
  admin: [{ session: [] }, { cookie: [] }],
  metrics: [{ metrics: [] }],
};

function operation(op: ApiOperation): Record<string, unknown> {
  const pathParameters = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: "path", required: true, schema: { type: "string" } }));
  const queryParameters = op.query
    ? Object.entries(op.query.shape).map(([name, schema]) => ({
        name,
        in: "query",
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: jsonSchema(schema as z.ZodType),
      }))
    : [];
  const errors = Object.fromEntries(
    (op.access === "public" ? ["400", "429"] : ["400", "401", "403", "429"]).map((status) => [status, { $ref: "#/components/responses/Error" }]),
  );
  return {
    summary: op.summary,
    tags: [op.tag],
    ...(SECURITY[op.access] ? { security: SECURITY[op.access] } : {}),
    ...(pathParameters.length + queryParameters.length > 0 ? { parameters: [...pathParameters, ...queryParameters] } : {}),
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body) } } } } : {}),
    ...(op.textBody ? { requestBody: { required: true, content: { "text/plain": { schema: { type: "string" } } } } } : {}),
    responses: { [String(op.status ?? 200)]: { description: "Success" }, ...errors },
  };
}

/** The OpenAPI 3.1 document of the HTTP API, built from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.0",
    info: { title: "Kefu HTTP API", version: "1", description: "Agents, admins and operators. Shoppers use the socket.io /chat namespace (see the README's event protocol)." },
    paths,
    components: {
      securitySchemes: {
        session: { type: "http", scheme: "bearer", description: "Session token from POST /api/agent/login" },
        cookie: { type: "apiKey", in: "cookie", name: "kefu_session" },
        metrics: { type: "http", scheme: "bearer", description: "METRICS_TOKEN (without one, loopback clients only)" },
      },
      responses: { Error: { description: "A coded error", content: { "application/json": { schema: jsonSchema(errorBody) } } } },
    },
  };
}

export function createApiDocsRoute(): Router {
  const router = express.Router();
  const document = JSON.stringify(buildOpenApiDocument());
  router.get("/api/openapi.json", (_request, response) => {
    response.type("application/json").send(document);
  });
  return router;
}

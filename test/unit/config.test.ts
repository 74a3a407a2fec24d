import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig, VARIABLES } from "../../src/config.ts";

describe("configuration", () => {
  it("has safe defaults and is frozen", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.llm).toBeUndefined();
    expect(config.limits.maxPayloadBytes).toBeLessThanOrEqual(64 * 1024);
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it("names every bad variable and how to fix it", () => {
    expect(() => loadConfig({ PORT: "http", MAX_MESSAGE_CHARS: "-1" })).toThrow(/PORT="http".*\n.*MAX_MESSAGE_CHARS="-1"/);
    expect(() => loadConfig({ EMBEDDER: "openai" })).toThrow(/EMBEDDING_BASE_URL/);
  });

  it("turns LLM settings into an explicit client config", () => {
    const config = loadConfig({ LLM_BASE_URL: "http://127.0.0.1:11434/v1", LLM_MODEL: "qwen3", LLM_TIMEOUT_SECONDS: "5" });
    expect(config.llm).toMatchObject({ baseUrl: "http://127.0.0.1:11434/v1", model: "qwen3", timeoutMs: 5000, apiKey: "not-needed" });
    expect(loadConfig({ ALLOWED_ORIGINS: "https://a.com, https://b.com" }).limits.allowedOrigins).toEqual(["https://a.com", "https://b.com"]);
  });

  it("documents every variable in .env.example", () => {
    const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8");
    for (const name of Object.keys(VARIABLES)) expect(example).toMatch(new RegExp(`^#? ?${name}=`, "m"));
  });
});

describe("the README's configuration table", () => {
  it("lists every variable", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const name of Object.keys(VARIABLES)) expect(readme).toContain(`| \`${name}\` |`);
  });
});

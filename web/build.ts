/**
 * The one build of Kefu's browser code: `node web/build.ts [app ...]`.
 *
 * Every folder under web/ with a vite.config.ts is an app, built into dist/web/<app>/. An app may
 * have more builds in vite.<part>.config.ts (the widget's loader is one), built into the same
 * folder after the main one. An app's size-budget.json, when present, sets byte budgets that fail
 * the build when exceeded; sizes are printed raw and gzipped either way.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "vite";

type Budget = { pattern: string; gzip?: number; raw?: number; why?: string };
type FileSize = { path: string; raw: number; gzip: number };

const webDir = fileURLToPath(new URL(".", import.meta.url));
const outRoot = resolve(webDir, "../dist/web");

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const apps = readdirSync(webDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(webDir, entry.name, "vite.config.ts")))
    .map((entry) => entry.name)
    .filter((app) => wanted.length === 0 || wanted.includes(app))
    .sort();
  const unknown = wanted.filter((app) => !apps.includes(app));
  if (unknown.length > 0) throw new Error(`No app named ${unknown.join(", ")} under web/ (an app is a folder with a vite.config.ts).`);

  const failures: string[] = [];
  for (const app of apps) {
    const appDir = join(webDir, app);
    const outDir = join(outRoot, app);
    rmSync(outDir, { recursive: true, force: true });
    const extra = readdirSync(appDir).filter((name) => /^vite\.[\w-]+\.config\.ts$/.test(name)).sort();
    for (const configName of ["vite.config.ts", ...extra]) {
      await build({ configFile: join(appDir, configName), root: appDir, logLevel: "warn", build: { outDir, emptyOutDir: false } });
    }
    const sizes = measure(outDir);
    printSizes(app, sizes);
    failures.push(...checkBudgets(app, appDir, sizes));
  }
  if (failures.length > 0) {
    console.error(`\nSize budget exceeded:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  }
}

function measure(outDir: string): FileSize[] {
  const files: FileSize[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith(".map")) {
        const content = readFileSync(path);
        files.push({ path: relative(outDir, path).split(sep).join("/"), raw: statSync(path).size, gzip: gzipSync(content, { level: 9 }).length });
      }
    }
  };
  if (existsSync(outDir)) walk(outDir);
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function printSizes(app: string, sizes: FileSize[]): void {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);
  const width = Math.max(20, ...sizes.map((file) => file.path.length));
  console.log(`\ndist/web/${app}/${" ".repeat(Math.max(1, width - app.length - 9))}       raw       gzip`);
  for (const file of sizes) console.log(`  ${file.path.padEnd(width)} ${kb(file.raw)} ${kb(file.gzip)}`);
  const total = sizes.reduce((sum, file) => ({ raw: sum.raw + file.raw, gzip: sum.gzip + file.gzip }), { raw: 0, gzip: 0 });
  console.log(`  ${"total".padEnd(width)} ${kb(total.raw)} ${kb(total.gzip)}`);
}

function checkBudgets(app: string, appDir: string, sizes: FileSize[]): string[] {
  const file = join(appDir, "size-budget.json");
  if (!existsSync(file)) return [];
  const { budgets } = JSON.parse(readFileSync(file, "utf8")) as { budgets: Budget[] };
  const failures: string[] = [];
  for (const budget of budgets) {
    const matcher = globToRegExp(budget.pattern);
    const matched = sizes.filter((size) => matcher.test(size.path));
    if (matched.length === 0) {
      failures.push(`${app}: budget "${budget.pattern}" matches no file; fix the pattern in web/${app}/size-budget.json`);
      continue;
    }
    const raw = matched.reduce((sum, size) => sum + size.raw, 0);
    const gzip = matched.reduce((sum, size) => sum + size.gzip, 0);
    const verdict = (kind: string, actual: number, limit: number | undefined) => {
      if (limit !== undefined && actual > limit) failures.push(`${app}: ${budget.pattern} is ${actual} bytes ${kind}, over its budget of ${limit} (${budget.why ?? "see size-budget.json"})`);
    };
    verdict("gzipped", gzip, budget.gzip);
    verdict("raw", raw, budget.raw);
    console.log(`  budget ${budget.pattern}: ${gzip}${budget.gzip ? ` / ${budget.gzip}` : ""} bytes gzip, ${raw}${budget.raw ? ` / ${budget.raw}` : ""} bytes raw`);
  }
  return failures;
}

/** "*" matches within a folder, "**" across folders. */
function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .split("**")
    .map((part) => part.split("*").map((text) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*"))
    .join(".*");
  return new RegExp(`^${source}$`);
}

await main();

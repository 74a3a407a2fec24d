import { readFileSync } from "node:fs";
import { comparedObjects } from "./src/catalog/match-facts.ts";
import { readAsMandarin } from "./src/text/cantonese.ts";
for (const set of process.argv.slice(2)) for (const line of readFileSync(set, "utf8").split("\n").filter(Boolean)) {
  const q = JSON.parse(line).question; const o = comparedObjects(readAsMandarin(q));
  if (o.length) console.log(set.split("/")[2], o, q);
}

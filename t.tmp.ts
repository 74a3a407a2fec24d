import { contentWords, segmentWords } from "./src/text/segment.ts";
import { findConcepts } from "./src/catalog/match-facts.ts";
const q = "电饭煲的内胆可以直接放燃气灶上烧吗";
console.log(segmentWords(q), contentWords(q), findConcepts(q).map((c) => c.concept.id));

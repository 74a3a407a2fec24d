import { factsOfKind, findConcepts, isKnown, isOfferRequest, offerCoverage, isOrderProblem, isPersonalCase, isPrediction, isStoreTopic, matchFacts, questionTerms, selectFacts, vocabularyTerms, type ConceptHit, type FactMatch } from "../catalog/match-facts.ts";
import { askedAction, boxedObjects, comparedObjects, namesRoleObject, roleObjects } from "../catalog/question-frames.ts";
import { findPolicyTopics, policyEntryMatch, type PolicyTopicHit } from "../catalog/match-policy.ts";
import type { CatalogProduct } from "../catalog/product.ts";
import { askedKinds, asksQuantity, givesQuantity, missesAskedKind, parseQuantities, type Dimension } from "../catalog/quantities.ts";
import { FACT_CONCEPTS } from "../catalog/fact-lexicon.ts";
import { inPageWords } from "../catalog/synonyms.ts";
import type { Retrieval, RetrievedPassage } from "../retrieval/retriever.ts";
import { readAsMandarin } from "../text/cantonese.ts";
import { normalizeText } from "../text/segment.ts";
import { isCatalogListing, otherWords, sentenceNaming, sentenceQualifying, sentenceStating } from "./fact-sentences.ts";
import { askingClauses } from "./question-parts.ts";
import { focusCoverage, questionFocus } from "./question-focus.ts";
import { answerSentences, rankSentences, type PlannedSentence } from "./rank-sentences.ts";

export type { PlannedSentence } from "./rank-sentences.ts";

/**
 * What an answer will say before any text is written: the page product's structured facts, or one
 * or two sentences of the page's own passages, of the store's policy pages, or (with no page) of
 * the best passages. Never another product's passages on a product page.
 */
export type AnswerPlan = {
  source: "fact" | "page-text" | "store" | "site" | "none";
  product: CatalogProduct | null;
  facts: { match: FactMatch; passage: RetrievedPassage | null }[];
  sentences: PlannedSentence[];
  signals: PlanSignals;
};

/** What the plan saw in the question and the evidence; the gate's inputs besides retrieval. */
export type PlanSignals = {
  /** Best fact match score (0 without a catalog product). */
  factScore: number;
  /** Share of the question's terms in the chosen sentences, plus a bonus when they name the kind of fact asked. */
  sentenceScore: number;
  /** The question asks for a kind of fact the lexicon knows. */
  asksFact: boolean;
  storeTopic: boolean;
  personalCase: boolean;
  /** The shopper reports a problem with their own order or item: only a person can look into it. */
  orderProblem: boolean;
  /**
   * A yes/no question casting something the page never names in a role for the product ("charge it
   * with a solar panel", "能当蓝牙音箱外放吗"): the page does not say, so nothing is quoted.
   */
  unnamedRole: boolean;
  /** The question asks whether the store offers another version of the product or a service around it. */
  asksOffer: boolean;
  /** The question asks the store to predict or judge ("will the price drop next month?"): no page says. */
  asksPrediction: boolean;
  onPage: boolean;
  /**
   * The shopper is on a product page the index does not know (a product not ingested yet, a
   * mistyped id): a question about "this product" has no facts to answer from, and no other
   * product's may stand in for them; only store-policy questions can be answered.
   */
  unknownPage: boolean;
  /**
   * With no page, a question about "it" that names no product ("how much is it?", "这个多重？"):
   * no product's facts can answer it, whichever product a search happens to find.
   */
  noReferent: boolean;
  /** The chosen sentences come from reviews (opinions, not facts of the store). */
  fromReviews: boolean;
  /**
   * Share of the question's words, beyond the phrasings the lexicon knows, that the page (or with
   * no page, the best passages) never uses: "does it mop?" on a vacuum that says nothing of mopping.
   */
  unknownWords: number;
  /** Share of those words the answer itself (with the product's name) uses; 1 when there are none. */
  answerCoverage: number;
  /** Share of the question's focus (its own words, phrasings of kinds of fact and policy included) the answer speaks to (question-focus.ts). */
  focusCoverage: number;
  /** For an answer from a policy entry: how well the entry's heading names the policy topic asked (0 otherwise). */
  policyMatch: number;
  /** The question asks for an amount or states one to measure against ("how many", "几次", "I'm 1m83"). */
  asksQuantity: boolean;
  /** The answer's facts or sentences (not the product's name) give such an amount: of the stated kind, or any number. */
  givesQuantity: boolean;
  /** The question asks for a kind of amount ("多久", "how heavy") and the answer gives none of that kind. */
  missesAmount: boolean;
};

const MAX_SENTENCES = 2;

const IN_BOX = FACT_CONCEPTS.find((concept) => concept.id === "in-box")!;

/** Words pointing at a product the shopper has in view ("it", "这个"), not naming one. */
const POINTS_AT_IT = /\b(?:it|its|this|that|these|those|they|them)\b|这个|这款|这件|这台|这种|那个|那款|它/;

export function planAnswer(input: { question: string; language: "zh" | "en"; retrieval: Retrieval; product: CatalogProduct | null }): AnswerPlan {
  // The question in the lexicons' Mandarin (Cantonese and traditional characters folded), then in
  // the page's own words where a reviewed synonym says the same ("宝宝" → 婴儿).
  const asked = readAsMandarin(input.question);
  const question = inPageWords(asked, pageTexts(input.retrieval, input.product, false).join(" "));
  // The words a shopper asks with, not those telling their situation ("孩子写完作业老忘关灯，…"):
  // what the page must know and the answer must speak to.
  const asking = inPageWords(askingClauses(asked), pageTexts(input.retrieval, input.product, false).join(" "));
  let plan = planSources({ ...input, question, asking, kinds: [] });
  // An answer without the kind of amount asked ("开到最亮能撑多久" by a brightness) is no answer: the
  // product's fact of that kind, when one is found for the question, answers instead.
  const kinds = parseQuantities(asking).length === 0 ? askedKinds(asking) : [];
  if (input.product && missesAskedKind(asking, answerContent(plan))) {
    const ofKind = planSources({ ...input, question, asking, kinds });
    if (ofKind.source === "fact" && !missesAskedKind(asking, answerContent(ofKind))) plan = ofKind;
  }
  // A request for a service or a group price is answered only by an answer naming it: "do you price
  // match" is not answered by the price-protection entry, "student discount" not by the coupons. A
  // store-wide search for "定制…" is a search for such products, not a request.
  // (An offer asked before a situation, "有没有长款的？想要能盖住屁股那种", is read in its own clauses.)
  const offer = isOfferRequest(asked) ? asked : askingClauses(asked);
  // Another value of a kind the page lists several of ("还有其他颜色吗" on a page of three colours)
  // is not a request beyond the page: the list answers it.
  if (plan.signals.asksOffer && listsAskedKind(offer, plan)) plan.signals.asksOffer = false;
  if (plan.signals.asksOffer && (plan.signals.onPage || plan.signals.unknownPage)) plan.signals.answerCoverage = Math.min(plan.signals.answerCoverage, offerCoverage(offer, planText(plan)));
  // What kind of answer is asked for against what the answer gives: an amount needs a number.
  plan.signals.asksQuantity = asksQuantity(asked);
  plan.signals.givesQuantity = plan.signals.asksQuantity && plan.source !== "none" && givesQuantity(asked, answerContent(plan));
  plan.signals.missesAmount = plan.source !== "none" && missesAskedKind(asking, answerContent(plan));
  plan.signals.focusCoverage = spokenTo(question, plan, asking);
  return plan;
}

/**
 * Whether a plan's answer already answers a question: for a part of a message that another part's
 * answer may answer too (a fact found for one part that speaks to the whole of the other, and gives
 * the kind of amount it asks for: "洗完会缩水吗？缩多少" by "缩水率 3% 以内", not "多久要抹一次油" by a
 * thickness).
 */
export function answeredBy(question: string, plan: AnswerPlan, retrieval: Retrieval): boolean {
  const asked = inPageWords(readAsMandarin(question), pageTexts(retrieval, plan.product, false).join(" "));
  const asking = askingClauses(asked);
  return spokenTo(asked, plan, asking) >= 1 && !missesAskedKind(asking, answerContent(plan));
}

/** The focus is read in the whole question (a phrasing may run into the situation), and counted in the asking clauses only. */
function spokenTo(question: string, plan: AnswerPlan, asking = question): number {
  if (plan.source === "none") return 0;
  const own = plan.product ? `${plan.product.name} ${plan.product.category}` : "";
  const said = [...plan.facts.map(({ match }) => `${match.fact.label} ${match.fact.value}`), ...plan.sentences.map((sentence) => `${sentence.passage.productId === plan.product?.sku ? "" : sentence.passage.title} ${sentence.text}`)];
  const askingText = normalizeText(asking);
  const focus = questionFocus(question, own, plan.product?.name ?? "").filter((word) => asking === question || askingText.includes(word.word));
  return focusCoverage(focus, { facts: plan.facts.map(({ match }) => match.fact), text: said.join(" ") });
}

/** Asking for other values of a kind, not a named one ("其他颜色", "any other sizes"; not "有红色的吗"). */
const ANOTHER_VALUE = /(?:其他|其它|别的|另外的?)(?:颜色|色|尺寸|尺码)|\b(?:other|another|different|more) (?:colou?rs?|shades?|sizes?)\b/;

/** The plan answers with a fact of a kind the question asks for that lists several values ("Black, Pine, Coral"). */
function listsAskedKind(question: string, plan: AnswerPlan): boolean {
  if (!ANOTHER_VALUE.test(normalizeText(question))) return false;
  const asked = new Set(findConcepts(question).map((hit) => hit.concept.id));
  return plan.source === "fact" && plan.facts.some(({ match }) => match.concept !== null && asked.has(match.concept) && match.fact.value.split(/[、,，/]|\bor\b|\band\b/).filter((value) => value.trim()).length >= 2);
}

/** What the answer itself states, without the product's name ("…Rice Cooker 3 L" gives no amount). */
function answerContent(plan: AnswerPlan): string {
  return [...plan.facts.map(({ match }) => `${match.fact.label} ${match.fact.value}`), ...plan.sentences.map((sentence) => sentence.text)].join(" ");
}

/** What the plan's answer says, with the product's name: the words an offer's own words are looked up in. */
function planText(plan: AnswerPlan): string {
  const own = plan.product ? `${plan.product.name} ${plan.product.category}` : "";
  const facts = plan.facts.map(({ match }) => `${match.fact.label} ${match.fact.value}`);
  const sentences = plan.sentences.map((sentence) => `${sentence.passage.title} ${sentence.text}`);
  return [own, ...facts, ...sentences].join(" ");
}

/** The plan from the sources; with `kinds`, the facts are those giving that kind of amount (factsOfKind). */
function planSources(input: { question: string; asking: string; kinds: readonly Dimension[]; language: "zh" | "en"; retrieval: Retrieval; product: CatalogProduct | null }): AnswerPlan {
  const { question, asking, retrieval, product } = input;
  const concepts = findConcepts(question);
  const topics = findPolicyTopics(question);
  const onPage = retrieval.productId !== null;
  const unknownPage = retrieval.requestedProductId !== null && !onPage;
  const matches = product ? matchFacts(question, product, concepts) : [];
  const facts = product ? factsOfKind(selectFacts(matches), matches, product, input.kinds) : [];
  // A policy phrasing makes a question the store's unless the page's product has a fact that
  // answers it ("坏了怎么办": the product's warranty first); the store's own policy words always do.
  const storeTopic = isStoreTopic(question) || (topics.length > 0 && facts.length === 0);
  // With no page, "it" asked for a kind of fact, with no words beyond that fact's phrasing, names no product.
  const noReferent =
    retrieval.requestedProductId === null && !storeTopic && concepts.length > 0 && POINTS_AT_IT.test(normalizeText(question)) && otherWords(question, concepts, topics).length === 0;
  const texts = pageTexts(retrieval, product, storeTopic);
  const vocabulary = new Set(texts.flatMap(vocabularyTerms));
  const pageWords = normalizeText(texts.join(" "));
  // Only a catalog product's page is known whole (its facts and description): elsewhere a word
  // missing from the passages found says little. A policy question's words are looked up in the
  // policy entries found too ("可以用京东白条付款吗": no entry names 京东白条).
  const roles = product ? roleObjects(question) : [];
  // Another product the question compares this one with, which the page never names: no page sentence compares them.
  const comparedUnnamed = product ? comparedObjects(question).some((object) => !namesRoleObject(object, pageWords, vocabulary)) : false;
  // A thing asked to come with it that the page never names, on a page listing no box contents: it cannot say.
  const boxedUnnamed = product && !product.facts.some((fact) => IN_BOX.names.test(fact.label)) ? boxedObjects(question).some((object) => !namesRoleObject(object, pageWords, vocabulary)) : false;
  // Something it is asked to do that the page never says it does ("does it mop floors too" of a vacuum).
  const action = product ? askedAction(question) : null;
  const actionUnnamed = action !== null && !namesRoleObject(action, pageWords, vocabulary);
  const signals: PlanSignals = {
    factScore: matches[0]?.score ?? 0,
    sentenceScore: 0,
    asksFact: concepts.length > 0,
    storeTopic,
    personalCase: isPersonalCase(question),
    orderProblem: isOrderProblem(question),
    // A product made only for some others ("only the AP40") says no to any other it is asked to work with.
    unnamedRole: comparedUnnamed || boxedUnnamed || actionUnnamed || (roles.length > 0 && roles.every((object) => !namesRoleObject(object, pageWords, vocabulary)) && !(product && exclusiveCompatibility(product))),
    asksOffer: isOfferRequest(question) || (asking !== question && isOfferRequest(asking)),
    asksPrediction: isPrediction(question),
    onPage,
    unknownPage,
    noReferent,
    fromReviews: false,
    unknownWords: unknownWordShare(asking, concepts, topics, vocabulary),
    answerCoverage: 1,
    focusCoverage: 1,
    policyMatch: 0,
    asksQuantity: false,
    givesQuantity: false,
    missesAmount: false,
  };
  const base = { product, signals };
  if (signals.unnamedRole) {
    signals.answerCoverage = 0;
    return { ...base, source: "none", facts: [], sentences: [] };
  }
  // A question naming a store policy ("how much is shipping?") is about the policy, unless the
  // product's own fact speaks of that policy too ("Returns: not returnable once opened").
  const factsFirst = facts.length > 0 && (!storeTopic || facts.some(({ fact }) => isStoreTopic(`${fact.label} ${fact.value}`)));
  const own = product ? `${product.name} ${product.category}` : "";
  const factPlan = (): AnswerPlan => {
    const factText = `${own} ${facts.map(({ fact }) => `${fact.label} ${fact.value}`).join(" ")}`;
    signals.answerCoverage = knownWordShare(asking, concepts, topics, factText);
    // A thing the question names that only the page's text speaks of, not its facts ("plasterboard
    // walls" of a shelf's mounting): the page sentence naming it goes with the fact.
    const naming = product && !storeTopic ? sentenceNaming(question, concepts, topics, factText, product, retrieval, input.language) : null;
    // An amount the question counts in or states that neither the facts (not the product's name:
    // "…Skillet 20 cm" is not the oven depth asked about) nor that sentence give: the sentence that does.
    const stated = facts.map(({ fact }) => `${fact.label} ${fact.value}`).join(" ");
    const stating = product && !storeTopic ? sentenceStating(question, `${stated} ${naming?.text ?? ""}`, product, retrieval, input.language) : null;
    const qualifying = product && !storeTopic && !naming && !stating ? sentenceQualifying(question, concepts, stated, product, retrieval, input.language) : null;
    const named = stating ?? naming ?? qualifying;
    if (named) signals.answerCoverage = knownWordShare(asking, concepts, topics, `${factText} ${named.passage.title} ${named.text}`);
    return {
      ...base,
      source: "fact",
      sentences: named ? [named] : [],
      facts: facts.map((match) => ({ match, passage: passageHolding(retrieval.pagePassages, match.fact.label, match.fact.value) })),
    };
  };
  if (factsFirst) return factPlan();
  // On a product page a question is about the product unless it asks about store policy; the
  // page's own text comes first, then (for policy questions) the store's pages. No other product's.
  const storeWide = retrieval.storePassages;
  const pageText = product ? retrieval.pagePassages.filter((passage) => !isCatalogListing(passage, product)) : retrieval.pagePassages;
  // On a page the index does not know there is no page text: the store's policy entries only.
  const pools: { source: AnswerPlan["source"]; passages: RetrievedPassage[] }[] = onPage || unknownPage
    ? storeTopic
      ? [{ source: "store", passages: storeWide }, { source: "page-text", passages: pageText }]
      : [{ source: "page-text", passages: pageText }]
    : noReferent
      ? []
      : [{ source: "site", passages: retrieval.passages.slice(0, 3) }];
  const terms = questionTerms(question);
  let best: { source: AnswerPlan["source"]; sentences: PlannedSentence[]; score: number } | null = null;
  for (const pool of pools) {
    const sentences = rankSentences(pool.passages, { question, terms, cues: concepts.map((hit) => hit.concept.names), topics }, input.language);
    const score = sentences[0]?.score ?? 0;
    if (sentences.length > 0 && (!best || score > best.score)) best = { source: pool.source, sentences, score };
  }
  if (!best || best.score === 0) {
    if (facts.length > 0) return factPlan();
    signals.answerCoverage = 0;
    return { ...base, source: "none", facts: [], sentences: [] };
  }
  const [first, ...rest] = best.sentences;
  // A policy answer is one entry's: a second sentence from another entry answers another question.
  const fromStore = first!.passage.productId === null;
  const second = rest.filter((sentence) => sentence.score >= 0.8 * first!.score && (!fromStore || sentence.passage === first!.passage));
  const chosen = [first!, ...second.slice(0, MAX_SENTENCES - 1)];
  // A question stating the shopper's own measurements ("身高170，胸围95左右，穿什么码") that the
  // sentences found give no amount of their kind against: the sentence that does (a size guide's row).
  const measured = product && !fromStore && parseQuantities(question).length > 0 && !givesQuantity(question, chosen.map((sentence) => sentence.text).join(" "));
  const stating = measured ? sentenceStating(question, "", product, retrieval, input.language) : null;
  if (stating) chosen.splice(0, chosen.length, stating);
  // A policy entry opening with a bare yes or no ("Yes, with Huabei." / "可以使用花呗分期。") states
  // its conditions after it: the answer keeps the next sentence.
  if (fromStore && chosen.length === 1 && BARE_VERDICT.test(first!.text.trim())) {
    const sentences = answerSentences(first!.passage.text);
    const next = sentences[sentences.indexOf(first!.text) + 1];
    if (next && sentences.includes(first!.text)) chosen.push({ passage: first!.passage, text: next, score: first!.score });
  }
  signals.sentenceScore = chosen[0]!.score;
  if (fromStore) signals.policyMatch = policyEntryMatch(topics, first!.passage.title, first!.passage.text, question);
  signals.answerCoverage = knownWordShare(asking, concepts, topics, `${own} ${chosen.map((sentence) => `${sentence.passage.title} ${sentence.text}`).join(" ")}`);
  signals.fromReviews = chosen.every((sentence) => sentence.passage.kind === "review");
  return { ...base, source: best.source, facts: [], sentences: chosen };
}

/** The product states it fits only what it names ("Compatible with: … only", "仅适用于…"). */
function exclusiveCompatibility(product: CatalogProduct): boolean {
  return product.facts.some((fact) => /compatib|fits|适用|适配/i.test(fact.label) && /\bonly\b|仅|只/i.test(fact.value));
}

/** A sentence opening with a bare yes or no: what it is a yes to follows. */
const BARE_VERDICT = /^(?:yes|no)\b|^(?:可以|能|支持|是的|有的|不可以|不能|不支持)/i;

/**
 * The passages a chat model may read for the plan: the retrieved ones, except that for a product
 * the bot cannot identify (a page the catalog does not know, "it" with no page) only the store's
 * own entries, so that no other product's facts can stand in for it.
 */
export function modelPassages(plan: AnswerPlan, retrieval: Retrieval): RetrievedPassage[] {
  if (!plan.signals.unknownPage && !plan.signals.noReferent) return retrieval.passages;
  return retrieval.storePassages.slice(0, retrieval.passages.length);
}

/**
 * The texts of the page's product (its catalog fields and all its passages), or with no page the
 * best passages'; for a question about store policy, also the store's policy entries found for it
 * (their words are the store's answer, whichever page the shopper is on).
 */
function pageTexts(retrieval: Retrieval, product: CatalogProduct | null, storeTopic: boolean): string[] {
  const passageText = (passage: RetrievedPassage) => `${passage.title} ${passage.text}`;
  const texts = retrieval.productId || retrieval.requestedProductId ? retrieval.pagePassages.map(passageText) : retrieval.passages.slice(0, 3).map(passageText);
  if (storeTopic) texts.push(...retrieval.storePassages.map(passageText));
  if (product) texts.push(product.name, product.description, ...product.facts.map((fact) => `${fact.label} ${fact.value}`));
  return texts;
}

function unknownWordShare(question: string, concepts: readonly ConceptHit[], topics: readonly PolicyTopicHit[], vocabulary: ReadonlySet<string>): number {
  const words = otherWords(question, concepts, topics);
  return words.length === 0 ? 0 : words.filter((terms) => !isKnown(terms, vocabulary)).length / words.length;
}

function knownWordShare(question: string, concepts: readonly ConceptHit[], topics: readonly PolicyTopicHit[], text: string): number {
  const words = otherWords(question, concepts, topics);
  const vocabulary = new Set(vocabularyTerms(text));
  return words.length === 0 ? 1 : words.filter((terms) => isKnown(terms, vocabulary)).length / words.length;
}

/** The page passage that states a fact, to cite it. */
function passageHolding(passages: readonly RetrievedPassage[], label: string, value: string): RetrievedPassage | null {
  return passages.find((passage) => passage.text.includes(value)) ?? passages.find((passage) => passage.text.includes(label)) ?? passages[0] ?? null;
}

import { describe, expect, it } from "vitest";
import { DEFAULT_GATE, GATE_FEATURES, gateProbability, parseGateModel, type GateFeatures } from "../../src/escalation/gate.ts";
import { computeCalibration } from "../../src/eval/calibration.ts";
import { fitLogistic, type GateSample } from "../../src/eval/fit-gate.ts";

/** No evidence of anything; an answer that speaks to all of the question's focus (focusCoverage 1), as most do. */
const zero = () => ({ ...Object.fromEntries(GATE_FEATURES.map((name) => [name, 0])), focusCoverage: 1 }) as GateFeatures;

describe("answer/hand-off gate", () => {
  it("fits a logistic regression whose probabilities match the observed rates", () => {
    // Two kinds of question: with a catalog fact, right 90% of the time; without, 20%.
    const samples: GateSample[] = [];
    for (let index = 0; index < 100; index += 1) {
      samples.push({ features: { ...zero(), bias: 1, fact: 1 }, right: index < 90, weight: 1 });
      samples.push({ features: { ...zero(), bias: 1, fact: 0 }, right: index < 20, weight: 1 });
    }
    const weights = fitLogistic(samples, { l2: 0 });
    const model = { weights, fittedOn: [], note: "" };
    expect(gateProbability({ ...zero(), bias: 1, fact: 1 }, model)).toBeCloseTo(0.9, 2);
    expect(gateProbability({ ...zero(), bias: 1, fact: 0 }, model)).toBeCloseTo(0.2, 2);
  });

  it("reports a reliability table and expected calibration error", () => {
    const record = (probability: number, right: boolean) => ({ probability, answerable: right, holdsFacts: right, cited: [], relevant: [] });
    const perfect = computeCalibration([record(0.95, true), record(0.95, true), record(0.05, false), record(0.05, false)]);
    const overconfident = computeCalibration([record(0.95, false), record(0.95, false)]);
    expect(perfect.ece).toBeCloseTo(0.05, 5);
    expect(overconfident.ece).toBeCloseTo(0.95, 5);
    expect(overconfident.bins[9]).toMatchObject({ questions: 2, rightShare: 0 });
  });

  it("ships weights that rank a catalog fact above no evidence and a personal order problem below", () => {
    const base = { ...zero(), bias: 1, onPage: 1, coverage: 0.5, similarity: 0.5, agreement: 0.5 };
    const fact = gateProbability({ ...base, fact: 1, factScore: 0.8, asksFact: 1 });
    const none = gateProbability({ ...base, noEvidence: 1, unknownWords: 1 });
    const personal = gateProbability({ ...base, sentenceScore: 0.5, personalCase: 1, focusCoverage: 0.5 });
    expect(fact).toBeGreaterThan(0.5);
    expect(none).toBeLessThan(0.5);
    expect(personal).toBeLessThan(0.5);
    expect(() => parseGateModel({ ...DEFAULT_GATE, weights: { bias: 1 } })).toThrow();
  });

  it("never lets a report of a problem with the shopper's own order reach the threshold", () => {
    const strong = { ...zero(), bias: 1, onPage: 1, storeTopic: 1, storeAnswer: 1, sentenceScore: 1.2, policyMatch: 1, answerCoverage: 1, coverage: 1, similarity: 0.9, agreement: 1 };
    expect(gateProbability(strong)).toBeGreaterThan(0.5);
    expect(gateProbability({ ...strong, personalCase: 1, orderProblem: 1 })).toBeLessThanOrEqual(0.05);
  });

  it("hands off a request for another version or a service on a product page unless the answer names what was asked for", () => {
    const fact = { ...zero(), bias: 1, onPage: 1, catalogPage: 1, fact: 1, factScore: 0.9, asksFact: 1, coverage: 1, similarity: 0.8, agreement: 1 };
    expect(gateProbability({ ...fact, asksOffer: 1, answerCoverage: 1 })).toBeGreaterThan(0.5);
    expect(gateProbability({ ...fact, asksOffer: 1, answerCoverage: 0.5 })).toBeLessThanOrEqual(0.05);
    // A store-wide search for "定制…" products is not held to it.
    expect(gateProbability({ ...fact, onPage: 0, asksOffer: 1, answerCoverage: 0.5 })).toBeGreaterThan(0.05);
  });

  it("answers a policy question from an entry that uses its words, and hands off one whose words no entry uses", () => {
    const policy = { ...zero(), bias: 1, onPage: 1, storeTopic: 1, storeAnswer: 1, sentenceScore: 0.8, coverage: 1, similarity: 0.2 };
    const covered = gateProbability({ ...policy, unknownWords: 0, answerCoverage: 1 });
    const uncovered = gateProbability({ ...policy, unknownWords: 1, answerCoverage: 0, focusCoverage: 0.2, coverage: 0.3, sentenceScore: 0.3 });
    expect(covered).toBeGreaterThan(0.5);
    expect(uncovered).toBeLessThan(0.5);
    expect(covered).toBeGreaterThan(gateProbability({ ...policy, unknownWords: 0.5, answerCoverage: 0.5, focusCoverage: 0.5 }));
  });

  it("trusts a policy answer more when the entry's heading is the topic asked, and a fact less when the shopper asks for another version", () => {
    const policy = { ...zero(), bias: 1, onPage: 1, catalogPage: 1, storeTopic: 1, storeAnswer: 1, sentenceScore: 0.8, coverage: 1, similarity: 0.2, answerCoverage: 1 };
    expect(gateProbability({ ...policy, policyMatch: 1 })).toBeGreaterThan(gateProbability({ ...policy, policyMatch: 0 }));
    const fact = { ...zero(), bias: 1, onPage: 1, catalogPage: 1, fact: 1, factScore: 0.8, asksFact: 1, answerCoverage: 1, coverage: 0.5, similarity: 0.5, agreement: 0.5 };
    expect(gateProbability({ ...fact, asksOffer: 1 })).toBeLessThan(gateProbability(fact));
  });

  it("hands off a page question on a page the catalog does not know, and answers a policy question there", () => {
    const unknown = { ...zero(), bias: 1, unknownProduct: 1, coverage: 0.8, similarity: 0.5, agreement: 1 };
    expect(gateProbability({ ...unknown, noEvidence: 1, asksFact: 1 })).toBeLessThan(0.5);
    const policy = { ...unknown, storeTopic: 1, storeAnswer: 1, sentenceScore: 0.9, answerCoverage: 1, policyMatch: 1 };
    expect(gateProbability(policy)).toBeGreaterThan(0.5);
  });

  it("trusts a page fact or a policy entry less when the shopper asks for a version or a service", () => {
    const fact = { ...zero(), bias: 1, onPage: 1, catalogPage: 1, fact: 1, factScore: 0.8, asksFact: 1, answerCoverage: 1, coverage: 0.5, similarity: 0.5, agreement: 0.5 };
    expect(gateProbability({ ...fact, asksOffer: 1 })).toBeLessThan(gateProbability(fact));
    // "能定制尺寸吗" answered by the size: the word asked for (定制) is nowhere on the page.
    const offerNotOnPage = { ...fact, asksOffer: 1, unknownWords: 1, answerCoverage: 0 };
    expect(gateProbability(offerNotOnPage)).toBeLessThan(0.5);
    const policy = { ...zero(), bias: 1, onPage: 1, storeTopic: 1, storeAnswer: 1, sentenceScore: 0.8, coverage: 1, similarity: 0.2, answerCoverage: 1 };
    expect(gateProbability({ ...policy, asksOffer: 1 })).toBeLessThan(gateProbability(policy));
  });

  it("weighs the evidence of a store-wide search (no page) on its own terms", () => {
    const site = { ...zero(), bias: 1, sentenceScore: 0.6, agreement: 1 };
    expect(gateProbability({ ...site, coverage: 1, similarity: 0.6, answerCoverage: 1 })).toBeGreaterThan(0.5);
    expect(gateProbability({ ...site, coverage: 0.2, similarity: 0.1, answerCoverage: 0.2, focusCoverage: 0.2, unknownWords: 0.8 })).toBeLessThan(0.5);
  });

  it("counts words a catalog product's page never uses against a page-text answer more than on a review-only page", () => {
    const text = { ...zero(), bias: 1, onPage: 1, sentenceScore: 0.6, coverage: 0.6, similarity: 0.3, agreement: 1, unknownWords: 1, answerCoverage: 0, focusCoverage: 0.25 };
    expect(gateProbability({ ...text, catalogPage: 1 })).toBeLessThan(gateProbability({ ...text, catalogPage: 0 }));
    // With none of the question's focus spoken to, a person answers, however well the sentence matched.
    expect(gateProbability({ ...text, catalogPage: 1, focusCoverage: 0 })).toBeLessThanOrEqual(0.05);
  });

  it("trusts a page sentence more when an amount asked for is answered with a number of its kind, but not a request for another version", () => {
    const text = { ...zero(), bias: 1, onPage: 1, catalogPage: 1, sentenceScore: 0.5, coverage: 0.5, similarity: 0.1, agreement: 1, unknownWords: 0.5, answerCoverage: 0.5, asksQuantity: 1 };
    expect(gateProbability({ ...text, givesQuantity: 1 })).toBeGreaterThan(gateProbability(text));
    expect(gateProbability({ ...text, givesQuantity: 1, asksOffer: 1 })).toBe(gateProbability({ ...text, asksOffer: 1 }));
    // Nothing to quote: no amount is given, whatever the question asked.
    expect(gateProbability({ ...text, noEvidence: 1, givesQuantity: 1 })).toBe(gateProbability({ ...text, noEvidence: 1 }));
  });

  it("fits only the terms left free, keeping the given weights of the others", () => {
    const samples: GateSample[] = [];
    for (let index = 0; index < 100; index += 1) {
      samples.push({ features: { ...zero(), bias: 1, fact: 1, asksQuantity: 1, givesQuantity: 1 }, right: index < 90, weight: 1 });
      samples.push({ features: { ...zero(), bias: 1, fact: 1 }, right: index < 60, weight: 1 });
    }
    const free = new Set(["bias", "quantityGiven"]);
    const fixed = Object.fromEntries(Object.keys(DEFAULT_GATE.weights).filter((name) => !free.has(name)).map((name) => [name, name === "fact" ? 0.5 : 0]));
    const weights = fitLogistic(samples, { l2: 0, fixed });
    expect(weights.fact).toBe(0.5);
    const model = { weights, fittedOn: [], note: "" };
    expect(gateProbability({ ...zero(), bias: 1, fact: 1, asksQuantity: 1, givesQuantity: 1 }, model)).toBeCloseTo(0.9, 2);
    expect(gateProbability({ ...zero(), bias: 1, fact: 1 }, model)).toBeCloseTo(0.6, 2);
  });

  it("hands off an answer that gives none of the kind of amount asked for, however strong its evidence", () => {
    const fact = { ...zero(), bias: 1, onPage: 1, catalogPage: 1, fact: 1, factScore: 0.8, asksFact: 1, answerCoverage: 1, coverage: 0.5, similarity: 0.5, agreement: 0.5 };
    expect(gateProbability(fact)).toBeGreaterThan(0.5);
    expect(gateProbability({ ...fact, missesAmount: 1 })).toBeLessThanOrEqual(0.05);
  });

  it("hands off an answer on a product page that speaks to none of the question's focus, however strong its evidence", () => {
    const fact = { ...zero(), bias: 1, onPage: 1, catalogPage: 1, fact: 1, factScore: 0.8, asksFact: 1, answerCoverage: 1, coverage: 0.5, similarity: 0.5, agreement: 0.5 };
    expect(gateProbability(fact)).toBeGreaterThan(0.5);
    // Speaking to part of it lowers the probability (the focus term) without the cap.
    expect(gateProbability({ ...fact, focusCoverage: 0.2 })).toBeGreaterThan(0.05);
    expect(gateProbability({ ...fact, focusCoverage: 0.2 })).toBeLessThan(gateProbability(fact));
    expect(gateProbability({ ...fact, focusCoverage: 0 })).toBeLessThanOrEqual(0.05);
    const text = { ...zero(), bias: 1, onPage: 1, catalogPage: 1, sentenceScore: 0.8, coverage: 0.8, similarity: 0.5, agreement: 1 };
    expect(gateProbability({ ...text, focusCoverage: 0 })).toBeLessThanOrEqual(0.05);
    // With no page the question is a search: a product listing found by its words is not held to it.
    const site = { ...zero(), bias: 1, coverage: 1, similarity: 0.6, answerCoverage: 1, sentenceScore: 1 };
    expect(gateProbability({ ...site, focusCoverage: 0 })).toBe(gateProbability({ ...site, focusCoverage: 1 }));
  });
});

/**
 * Masks personal data in free text before it leaves for a model provider or a log: email
 * addresses, phone numbers, payment card numbers (Luhn-checked) and Chinese resident ID numbers.
 * Each is replaced by a bracketed label the model can still reason about ("[email]"). The
 * patterns are deliberately narrow so prices, dates, SKUs and order numbers pass unchanged.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** 18-digit resident ID: region, birth date 18xx–20xx, sequence, check digit (0-9 or X). */
const CN_ID = /(?<![\p{L}\p{N}])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\p{L}\p{N}])/gu;
/** 13–19 digits, optionally grouped by single spaces or dashes. */
const CARD = /(?<![\p{L}\p{N}+])\d(?:[ -]?\d){12,18}(?![\p{L}\p{N}])/gu;
const PHONES = [
  // International: +CC then 7–14 more digits in groups.
  /(?<![\p{L}\p{N}+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\p{L}\p{N}])/gu,
  // Mainland mobile (optionally 86-prefixed), grouped 3-4-4 or not.
  /(?<![\p{L}\p{N}])(?:86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\p{L}\p{N}])/gu,
  // Mainland landline with area code: 010-12345678, (0755) 1234 5678.
  /(?<![\p{L}\p{N}])(?:\(0\d{2,3}\)\s?|0\d{2,3}-)\d{3,4}[ -]?\d{4}(?![\p{L}\p{N}])/gu,
  // North American: (415) 555-0100, 415-555-0100, 415.555.0100.
  /(?<![\p{L}\p{N}])(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?![\p{L}\p{N}])/gu,
];

export function maskPersonalData(text: string): string {
  let masked = text.replace(EMAIL, "[email]").replace(CN_ID, "[id-number]");
  masked = masked.replace(CARD, (match) => (luhnValid(match.replace(/\D/g, "")) ? "[card]" : match));
  for (const phone of PHONES) masked = masked.replace(phone, (match) => (digitCount(match) >= 7 && digitCount(match) <= 15 ? "[phone]" : match));
  return masked;
}

/** Mask every string inside a plain value (objects and arrays, a few levels deep): for log records. */
export function maskPersonalDataDeep<T>(value: T, depth = 4): T {
  if (typeof value === "string") return maskPersonalData(value) as T;
  if (depth === 0 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item: unknown) => maskPersonalDataDeep(item, depth - 1)) as T;
  // Errors and other class instances are left to their serializers (which mask what they produce).
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) result[key] = maskPersonalDataDeep(inner, depth - 1);
  return result as T;
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

function digitCount(text: string): number {
  return text.replace(/\D/g, "").length;
}

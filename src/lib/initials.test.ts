import { describe, expect, test } from "vitest";
import { initialsOf } from "./initials";

describe("initialsOf: up to two initials, from one script", () => {
  test.each([
    ["Ada Lovelace", "AL"],
    ["ada lovelace", "AL"],
    ["Ada", "A"],
    ["Augusta Ada King", "AA"],
    ["ada@example.com", "A"],
    ["ada.lovelace@example.com", "AL"],
    ["difference-engine", "DE"],
    ["  Grace   Hopper  ", "GH"],
    // Latin and CJK never mix: the first word's script decides.
    ["Ada 山田", "A"],
    ["山田 Ada", "山"],
    // CJK names take one character.
    ["山田 太郎", "山"],
    ["山田太郎", "山"],
    ["김 민준", "김"],
    ["やまだ", "や"],
    // Other scripts pair within themselves.
    ["Александр Пушкин", "АП"],
    ["Αλέξανδρος Παπαδόπουλος", "ΑΠ"],
    ["Ada Пушкин", "A"],
    ["محمد علي", "مع"],
    // Whole graphemes: a combining accent stays with its letter.
    ["E\u0301mile Zola", "E\u0301Z"],
    ["Émile Zola", "ÉZ"],
    ["ßanne Ober", "ßO"],
    // Digits and symbols.
    ["2nd Team", "2"],
    ["Team 2", "T"],
    ["🦄 Unicorns", "U"],
    ["(Ada) Lovelace", "AL"],
    ["", "?"],
    ["!!!", "?"],
    ["🦄", "?"],
  ])("%j → %j", (name, expected) => {
    expect(initialsOf(name)).toBe(expected);
  });
});

/**
 * Department names as grouping keys. Reports name the same body in several ways
 * (人民代表大会常务委员会 / 人大常委会, 中国共产党…委员会组织部 / …党委组织部), so the database groups
 * by a folded key and keeps the first original spelling for display.
 */

import { memoized } from "./memo";

/**
 * Long official forms → the short forms bureaus use day to day. Applied in order, so a rule may
 * rely on the ones above it (the 党委 rules expect 中国共产党 already shortened to 中共).
 * This is the only place synonyms live: add a row here rather than special-casing elsewhere.
 */
export const DEPARTMENT_SYNONYMS: readonly (readonly [RegExp, string])[] = [
  [/人民代表大会常务委员会/g, "人大常委会"],
  [/中国共产党/g, "中共"],
  // "中国人民政治协商会议X委员会" and "政协X委员会" both mean X's 政协.
  [/(?:中国人民)?政治协商会议(.*?)委员会/g, "$1政协"],
  [/^政协(.+?)委员会/g, "$1政协"],
  // 中共X委员会组织部 ≈ 中共X委组织部 ≈ X党委组织部 (the same party department, any 部).
  [/中共(.+?)(?:委员会|委)(?=[^委]*部)/g, "$1党委"],
  [/人民政府/g, "政府"],
];

// Spaces (incl. ideographic), ASCII punctuation and the CJK punctuation that NFKC leaves in place.
const NOISE = /[\s\p{P}\p{S}]/gu;

/**
 * Width- and punctuation-insensitive form of a name: NFKC folds full-width letters, digits and
 * punctuation to ASCII so that "（" and "(" compare equal, then spaces and punctuation go.
 */
export const foldText: (text: string) => string = memoized((text) => text.normalize("NFKC").replace(NOISE, ""));

/** The grouping key of a department name; "" for an empty name. */
export const normalizeDepartmentName: (name: string) => string = memoized((name) => {
  let key = foldText(name);
  for (const [pattern, replacement] of DEPARTMENT_SYNONYMS) key = key.replace(pattern, replacement);
  return key;
});

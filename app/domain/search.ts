/**
 * Full-text search over the curriculum: sections (a heading and its text) are
 * indexed at build time; queries are answered in memory. Pure.
 */
export type SearchSection = {
  moduleSlug: string;
  moduleTitle: string;
  anchor: string;
  heading: string;
  text: string;
};

export type SearchHit = SearchSection & { score: number; snippet: string };

const STOP = new Set(
  "a an and are as at be but by for from has have how i if in into is it its of on or that the their them then there these they this to was were what when which who will with you your".split(
    " ",
  ),
);

export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .match(/[a-z0-9]+/g) ?? []
  ).filter((t) => t.length > 1 && !STOP.has(t));
}

/** A crude English stem, enough to match "ending"/"endings"/"ended". */
export function stem(token: string): string {
  for (const suffix of ["ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s", "ly"]) {
    if (token.length - suffix.length >= 3 && token.endsWith(suffix)) return token.slice(0, -suffix.length);
  }
  return token;
}

function snippetFor(text: string, terms: string[], width = 180): string {
  const lower = text.toLowerCase();
  let at = -1;
  for (const t of terms) {
    const i = lower.indexOf(t);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  if (at < 0) return text.slice(0, width) + (text.length > width ? "…" : "");
  const start = Math.max(0, at - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  return (start > 0 ? "…" : "") + text.slice(start, end).trim() + (end < text.length ? "…" : "");
}

export function searchSections(sections: readonly SearchSection[], query: string, limit = 20): SearchHit[] {
  const terms = [...new Set(tokenize(query))];
  if (terms.length === 0) return [];
  const stems = terms.map(stem);
  const hits: SearchHit[] = [];
  for (const section of sections) {
    const headingStems = new Set(tokenize(section.heading).map(stem));
    const counts = new Map<string, number>();
    for (const t of tokenize(section.text)) {
      const s = stem(t);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    let score = 0;
    let matched = 0;
    for (const s of stems) {
      const inText = counts.get(s) ?? 0;
      const inHeading = headingStems.has(s) ? 1 : 0;
      if (inText + inHeading > 0) matched++;
      score += Math.log1p(inText) + inHeading * 3;
    }
    // Every term must appear somewhere in the section.
    if (matched < stems.length) continue;
    hits.push({ ...section, score, snippet: snippetFor(section.text, terms) });
  }
  return hits.sort((a, b) => b.score - a.score).slice(0, limit);
}

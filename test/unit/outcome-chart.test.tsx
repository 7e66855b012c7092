import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OutcomeChart } from "#app/components/outcome-chart";
import { OutcomeInputError, type SessionScores } from "#app/domain/outcomes";

const s = (session: number, phq9: number, gad7: number): SessionScores => ({ session, phq9, gad7 });
const scores = [s(16, 6, 5), s(1, 16, 12), s(2, 14, 11), s(5, 10, 7)];

// Plot area: x from 44 (session 1) to 624 (session 16); y from 276 (score 0) up 260 px to 16 (score 27).
const render = (list: SessionScores[]) => renderToStaticMarkup(<OutcomeChart scores={list} title="Outcome scores for case A" />);
const group = (html: string, measure: string) => html.match(new RegExp(`<g data-measure="${measure}">(.*?)</g>`))?.[1] ?? "";

describe("outcome chart", () => {
  const html = render(scores);

  it("draws each measure as a line through its points, in session order", () => {
    expect(group(html, "phq9")).toContain('points="44,121.9 82.7,141.2 198.7,179.7 624,218.2"');
    expect(group(html, "gad7")).toContain('points="44,160.4 82.7,170.1 198.7,208.6 624,227.9"');
  });

  it("marks every score, circles for PHQ-9 and squares for GAD-7", () => {
    expect(group(html, "phq9").match(/<circle data-session=/g)).toHaveLength(4);
    expect(group(html, "phq9")).toContain('<circle data-session="5" cx="198.7" cy="179.7"');
    expect(group(html, "gad7").match(/<rect data-session=/g)).toHaveLength(4);
  });

  it("draws the caseness lines at PHQ-9 10 and GAD-7 8, labelled", () => {
    expect(group(html, "phq9")).toMatch(/<line data-caseness="phq9" x1="44" x2="624" y1="179.7" y2="179.7"/);
    expect(group(html, "gad7")).toMatch(/<line data-caseness="gad7" x1="44" x2="624" y1="199" y2="199"/);
    expect(html).toContain("PHQ-9 caseness (10)");
    expect(html).toContain("GAD-7 caseness (8)");
  });

  it("shows the three DIT phases", () => {
    expect(html.match(/data-phase="(\w+)"/g)).toEqual(['data-phase="initial"', 'data-phase="middle"', 'data-phase="ending"']);
  });

  it("has an accessible name and description from its title and desc", () => {
    const labelledBy = html.match(/<svg role="img" aria-labelledby="([^"]+)"/)?.[1]?.split(" ") ?? [];
    expect(labelledBy).toHaveLength(2);
    const [titleId, descId] = labelledBy;
    expect(html).toContain(`<title id="${titleId}">Outcome scores for case A</title>`);
    expect(html).toMatch(
      new RegExp(
        `<desc id="${descId}">PHQ-9 16 at session 1, 6 at session 16; GAD-7 12 at session 1, 5 at session 16\\. Caseness: PHQ-9 10 or more, GAD-7 8 or more\\.</desc>`,
      ),
    );
  });

  it("gives the same figures in a table with a caption and headers", () => {
    expect(html).toContain("<caption>Outcome scores for case A: the scores</caption>");
    expect(html).toContain('<th scope="col">PHQ-9 (0–27)</th><th scope="col">GAD-7 (0–21)</th><th scope="col">At caseness</th>');
    const rows = html.match(/<tr><th scope="row">.*?<\/tr>/g) ?? [];
    expect(rows).toEqual([
      '<tr><th scope="row">1</th><td>Initial phase</td><td>16</td><td>12</td><td>Yes</td></tr>',
      '<tr><th scope="row">2</th><td>Initial phase</td><td>14</td><td>11</td><td>Yes</td></tr>',
      '<tr><th scope="row">5</th><td>Middle phase</td><td>10</td><td>7</td><td>Yes</td></tr>',
      '<tr><th scope="row">16</th><td>Ending phase</td><td>6</td><td>5</td><td>No</td></tr>',
    ]);
  });

  it("says so when there are no scores, and draws no line for a single one", () => {
    const empty = render([]);
    expect(empty).toContain("No scores recorded yet.");
    expect(empty).not.toContain("<table");
    expect(empty).not.toContain("<polyline");
    const one = render([s(1, 12, 9)]);
    expect(one).not.toContain("<polyline");
    expect(one.match(/<circle data-session=/g)).toHaveLength(1);
  });

  it("refuses impossible scores", () => {
    expect(() => render([s(1, 30, 0)])).toThrow(OutcomeInputError);
  });
});

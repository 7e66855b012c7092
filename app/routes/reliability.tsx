import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { notFound, requirePermission } from "#app/auth/session.server";
import { DriftChart } from "#app/components/drift-chart";
import { frameworkFromSearch, listFrameworks } from "#app/content.server/frameworks.server";
import { getDb } from "#app/db.server";
import { frameworkLabel } from "#app/domain/framework";
import { ICC_LABELS, type StatisticResult } from "#app/domain/reliability";
import { ITEM_ICC_FORM, iccBand, kappaBand, ROLE_ICC_FORM, reliabilityReport } from "#app/domain/reliability-report";
import { peopleNames, reliabilityRows } from "#app/models/reliability.server";

export const meta: MetaFunction = () => [{ title: "Rater reliability — Attune" }];

const stat = (s: StatisticResult) => ({ value: Number.isNaN(s.value) ? null : Math.round(s.value * 1000) / 1000, reason: s.reason });
const share = (x: number) => (Number.isNaN(x) ? null : Math.round(x * 1000) / 10);
const num = (x: number) => (Number.isNaN(x) ? null : Math.round(x * 100) / 100);

/**
 * Inter-rater reliability of one framework version for moderators and admins: one query reads the item-score
 * rows, the statistics are computed in app/domain (docs/reliability.md).
 */
export async function loader(args: LoaderFunctionArgs) {
  await requirePermission(args, "reliability:view");
  const url = new URL(args.request.url);
  const framework = frameworkFromSearch(url.searchParams);
  if (!framework) throw notFound("There is no such framework version.");
  const db = getDb();
  const report = reliabilityReport(framework, await reliabilityRows(db, framework));
  const ids = [...new Set([...report.raters.map((r) => r.raterId), ...report.pairs.flatMap((p) => [p.raterA, p.raterB])])];
  const names = await peopleNames(db, ids);
  const name = (id: string) => names.get(id) ?? "A former rater";
  return {
    framework: { id: framework.id, version: framework.version, title: framework.title, label: frameworkLabel(framework) },
    frameworks: listFrameworks().map((f) => ({ id: f.id, version: f.version, title: f.title })),
    tolerance: framework.rules.agreement.itemTolerance,
    finalRule: framework.rules.final.itemScore,
    scale: framework.scale,
    forms: { item: ICC_LABELS[ITEM_ICC_FORM], role: ICC_LABELS[ROLE_ICC_FORM] },
    counts: report.counts,
    overall: {
      n: report.overall.n,
      icc: stat(report.overall.icc),
      iccByRole: stat(report.overall.iccByRole),
      band: iccBand(report.overall.icc.value),
      meanAbsDifference: num(report.overall.meanAbsDifference),
    },
    items: report.items.map((i) => ({
      id: i.itemId,
      title: i.title,
      n: i.n,
      icc: stat(i.icc),
      iccByRole: stat(i.iccByRole),
      band: iccBand(i.icc.value),
      exact: share(i.exact),
      withinTolerance: share(i.withinTolerance),
      meanAbsDifference: num(i.meanAbsDifference),
    })),
    pairs: report.pairs.map((p) => ({
      key: `${p.raterA}-${p.raterB}`,
      a: name(p.raterA),
      b: name(p.raterB),
      recordings: p.recordings,
      pairs: p.pairs,
      kappa: stat(p.kappa),
      band: kappaBand(p.kappa.value),
      exact: share(p.exact),
    })),
    raters: report.raters.map((r) => ({
      id: r.raterId,
      name: name(r.raterId),
      ratings: r.ratings,
      itemScores: r.itemScores,
      severity: num(r.severity),
      meanAbsDifference: num(r.meanAbsDifference),
    })),
    drift: report.drift.map((d) => ({ raterId: d.raterId, name: name(d.raterId), points: d.points })),
    periods: report.periods,
    csv: `/reliability.csv?framework=${encodeURIComponent(framework.id)}&version=${framework.version}`,
  };
}

function Stat({ s }: { s: { value: number | null; reason: string | null } }) {
  if (s.value !== null) return <>{s.value.toFixed(2)}</>;
  return (
    <>
      — <span className="muted">{s.reason}</span>
    </>
  );
}

const signed = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${x.toFixed(2)}`);
const percent = (x: number | null) => (x === null ? "—" : `${x}%`);

export default function ReliabilityPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Rater reliability</h1>
      <p className="lead">
        How far the raters of <strong>{d.framework.title}</strong> (v{d.framework.version}) agree, over the summative recordings that two
        raters rated blind. See <Link to="/calibration">calibration</Link> for how raters qualify.
      </p>
      {d.frameworks.length > 1 ? (
        <Form method="get" className="filters">
          <div className="field">
            <label htmlFor="framework-choice">Framework version</label>
            <select id="framework-choice" name="fv" defaultValue={`${d.framework.id}@${d.framework.version}`}>
              {d.frameworks.map((f) => (
                <option key={`${f.id}@${f.version}`} value={`${f.id}@${f.version}`}>
                  {f.title} v{f.version}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button--secondary">
            Show
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="counts">
        <h2 id="counts">What the figures rest on</h2>
        <dl className="facts">
          <dt>Double-rated recordings</dt>
          <dd>{d.counts.doubleRated}</dd>
          <dt>Recordings with a final rating</dt>
          <dd>{d.counts.finals}</dd>
          <dt>Of those, settled by a moderator</dt>
          <dd>{d.counts.moderated}</dd>
          <dt>Raters</dt>
          <dd>{d.counts.raters}</dd>
          <dt>Raters' own (provisional) ratings</dt>
          <dd>{d.counts.provisionalRatings}</dd>
        </dl>
        <p>
          <a href={d.csv} download>
            Download the paired scores (CSV)
          </a>{" "}
          — one line per double-rated recording and item, for your own analysis.
        </p>
      </section>

      <section aria-labelledby="items">
        <h2 id="items">Agreement per item</h2>
        <p className="hint">
          {d.forms.item} treats each recording's two raters as drawn from the pool of raters (each recording has its own pair), which is how
          the raters are assigned; {d.forms.role} takes "primary" and "second" as the two raters and sets a systematic difference between
          the roles apart from the disagreement, so it comes out higher than {d.forms.item} when one role scores systematically higher.
          Within tolerance: the two scores differ by at most {d.tolerance} point{d.tolerance === 1 ? "" : "s"}. Bands after Koo &amp; Li
          (2016): below .50 poor, .50 to below .75 moderate, .75 to below .90 good, .90 and above excellent.
        </p>
        <div className="table-wrap">
          <table>
            <caption>Inter-rater reliability per item, {d.framework.label}</caption>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Recordings</th>
                <th scope="col">{d.forms.item}</th>
                <th scope="col">Band</th>
                <th scope="col">{d.forms.role}</th>
                <th scope="col">Exact</th>
                <th scope="col">Within tolerance</th>
                <th scope="col">Mean |difference|</th>
              </tr>
            </thead>
            <tbody>
              {d.items.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.title}</th>
                  <td>{i.n}</td>
                  <td>
                    <Stat s={i.icc} />
                  </td>
                  <td>{i.band}</td>
                  <td>
                    <Stat s={i.iccByRole} />
                  </td>
                  <td>{percent(i.exact)}</td>
                  <td>{percent(i.withinTolerance)}</td>
                  <td>{i.meanAbsDifference === null ? "—" : i.meanAbsDifference.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Rating mean (all items)</th>
                <td>{d.overall.n}</td>
                <td>
                  <Stat s={d.overall.icc} />
                </td>
                <td>{d.overall.band}</td>
                <td>
                  <Stat s={d.overall.iccByRole} />
                </td>
                <td colSpan={2}>—</td>
                <td>{d.overall.meanAbsDifference === null ? "—" : d.overall.meanAbsDifference.toFixed(2)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </section>

      <section aria-labelledby="pairs">
        <h2 id="pairs">Agreement per rater pair</h2>
        <p className="hint">
          Quadratic-weighted kappa (Cohen 1968) over every item both raters scored on the recordings they shared, with the scale's points{" "}
          {d.scale.min}–{d.scale.max} as categories. Bands after Landis &amp; Koch (1977). Few shared recordings make a kappa unstable: read
          it with its count.
        </p>
        {d.pairs.length ? (
          <div className="table-wrap">
            <table>
              <caption>Weighted kappa per rater pair</caption>
              <thead>
                <tr>
                  <th scope="col">Raters</th>
                  <th scope="col">Shared recordings</th>
                  <th scope="col">Item scores</th>
                  <th scope="col">Weighted kappa</th>
                  <th scope="col">Band</th>
                  <th scope="col">Exact</th>
                </tr>
              </thead>
              <tbody>
                {d.pairs.map((p) => (
                  <tr key={p.key}>
                    <th scope="row">
                      {p.a} and {p.b}
                    </th>
                    <td>{p.recordings}</td>
                    <td>{p.pairs}</td>
                    <td>
                      <Stat s={p.kappa} />
                    </td>
                    <td>{p.band}</td>
                    <td>{percent(p.exact)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No recording has been rated by two raters yet.</p>
        )}
      </section>

      <section aria-labelledby="severity">
        <h2 id="severity">Rater severity</h2>
        <p className="hint">
          Severity is the mean of a rater's item score minus the final item score, over their ratings of recordings with a final rating:
          negative means harsher than the final rating, positive more lenient.
          {d.finalRule === "mean-round-down"
            ? " This framework derives a final item score by rounding the two raters' mean down, which makes everyone look slightly lenient; compare raters with each other."
            : d.finalRule === "lower"
              ? " This framework takes the lower of the two raters' scores as the final one, which makes everyone look lenient; compare raters with each other."
              : " Compare raters with each other rather than with zero."}
        </p>
        {d.raters.length ? (
          <div className="table-wrap">
            <table>
              <caption>Severity per rater</caption>
              <thead>
                <tr>
                  <th scope="col">Rater</th>
                  <th scope="col">Ratings</th>
                  <th scope="col">Item scores</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Mean |difference|</th>
                </tr>
              </thead>
              <tbody>
                {d.raters.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.name}</th>
                    <td>{r.ratings}</td>
                    <td>{r.itemScores}</td>
                    <td>{signed(r.severity)}</td>
                    <td>{r.meanAbsDifference === null ? "—" : r.meanAbsDifference.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No rater's rating has a final rating to compare with yet.</p>
        )}
        <h3>Drift over time</h3>
        <DriftChart series={d.drift} periods={d.periods} title="Rater severity by month" />
      </section>
    </>
  );
}

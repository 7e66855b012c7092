import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RecordingRetentionForms, retentionFeedback } from "#app/components/recording-retention-forms";

type Props = Parameters<typeof RecordingRetentionForms>[0];
const base: Props = { recordingId: "rec_1", status: "READY", legalHold: false, canWithdraw: false, canHold: false };
const render = (over: Partial<Props>) => renderToStaticMarkup(<RecordingRetentionForms {...base} {...over} />);
const forms = (html: string) => html.match(/<form[^>]*>/g) ?? [];

describe("recording retention forms", () => {
  it("offers the owner a plain POST form to withdraw, with a required, labelled confirmation", () => {
    const html = render({ canWithdraw: true });
    expect(forms(html)).toEqual(['<form method="post" action="/recordings/rec_1/retention" aria-labelledby="withdraw-title">']);
    expect(html).toContain('<input type="hidden" name="intent" value="withdraw"/>');
    expect(html).toContain('<input type="checkbox" id="retention-confirm" name="confirm" required="" value="yes"/>');
    expect(html).toContain('<label for="retention-confirm">');
    expect(html).not.toContain('value="hold"');
  });

  it("does not offer withdrawal once the recording is withdrawn, rejected or purged", () => {
    for (const status of ["WITHDRAWN", "REJECTED", "PURGED"] as const) expect(render({ canWithdraw: true, status })).toBe("");
  });

  it("offers administrators a hold with a required reason, or the release of a hold", () => {
    const hold = render({ canHold: true });
    expect(hold).toContain('name="intent" value="hold"');
    expect(hold).toMatch(/<textarea id="retention-reason" name="reason" required="" maxLength="500"/);
    expect(hold).toContain('<label for="retention-reason">Reason for the hold</label>');
    const release = render({ canHold: true, legalHold: true });
    expect(release).toContain('name="intent" value="release"');
    expect(release).not.toContain('value="hold"');
    expect(release).not.toMatch(/<textarea[^>]*required/);
    expect(render({ canHold: true, status: "PURGED" })).toBe("");
  });

  it("shows nothing to someone who may do neither", () => {
    expect(render({})).toBe("");
  });

  it("turns the redirect's query into a notice and errors on the right field", () => {
    const confirm = retentionFeedback(new URLSearchParams("retention-error=confirm-required"));
    expect(confirm).toEqual({ notice: null, errors: { confirm: expect.stringMatching(/Tick the box/) } });
    const html = render({ canWithdraw: true, errors: confirm.errors });
    expect(html).toContain('aria-invalid="true" aria-describedby="retention-confirm-error"');
    expect(html).toMatch(/<p class="field-error" id="retention-confirm-error">Tick the box/);
    expect(retentionFeedback(new URLSearchParams("retention-error=rated")).errors).toEqual({ form: expect.stringMatching(/rated/) });
    expect(retentionFeedback(new URLSearchParams("retention=held")).notice).toMatch(/legal hold/);
    expect(retentionFeedback(new URLSearchParams("retention=<script>&retention-error=nonsense"))).toEqual({ notice: null, errors: {} });
    expect(retentionFeedback(new URLSearchParams("retention=toString&retention-error=constructor"))).toEqual({ notice: null, errors: {} });
    expect(render({ notice: "Done." })).toContain('role="status">Done.</p>');
  });
});

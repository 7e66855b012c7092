import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { notFound, requireOn, requirePermission } from "#app/auth/session.server";
import { certificatePdf } from "#app/certificates/pdf.server";
import { getDb } from "#app/db.server";
import { publicStatus } from "#app/domain/certificate-rules";
import { getCertificateDetail, relationsToCertificate, verifyUrlFor } from "#app/models/certificate.server";

/**
 * The certificate as a PDF, streamed to the response as pdfkit writes it: for
 * its holder and for admins; anyone else gets a 404. Never cached (no-store).
 */
export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "certificate:download");
  const cert = args.params.code ? await getCertificateDetail(getDb(), args.params.code) : null;
  if (!cert) throw notFound();
  requireOn(user, "certificate:download", relationsToCertificate(user, cert));
  const pdf = await certificatePdf({
    holderName: cert.holderName,
    registrationBody: cert.registrationBody,
    registrationNumber: cert.registrationNumber,
    credential: cert.credentialName,
    issuer: cert.issuerName,
    issuedAt: cert.issuedAt,
    expiresAt: cert.expiresAt,
    code: cert.code,
    verifyUrl: verifyUrlFor(args.context.appUrl, cert.code),
    status: publicStatus(cert, new Date()),
  });
  return new Response(createReadableStreamFromReadable(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="certificate-${cert.code}.pdf"`,
      "Cache-Control": "no-store",
    },
  });
}

import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { normaliseCode } from "#app/domain/certificate-code";

/**
 * Public: `/register/<code>` — the id credentials give their subject (`…/register/<code>#holder`) — answers with the
 * certificate's verification page, which says who holds it and whether it is valid. Nothing is looked up here.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const code = normaliseCode(params.code ?? "");
  throw redirect(code ? `/verify/${code}` : "/register");
}

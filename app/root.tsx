import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { getUser } from "#app/auth/session.server";
import { useNonce } from "#app/components/nonce";
import { navigationFor } from "#app/domain/navigation";
import { ROLE_LABELS } from "#app/domain/roles";
import styles from "#app/styles/app.css?url";
import "#app/load-context";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Attune — DIT training" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await getUser(args);
  return {
    user: user ? { name: user.name, email: user.email, roles: user.roles.map((r) => ROLE_LABELS[r]) } : null,
    nav: user ? navigationFor(user.roles) : [],
  };
}

function Shell({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <Link to="/" className="brand">
              Attune
            </Link>
            {data?.nav.length ? (
              <nav aria-label="Main">
                <ul className="nav-list">
                  {data.nav.map((item) => (
                    <li key={item.to}>
                      <NavLink to={item.to} end={item.end}>
                        {item.label}
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            {data?.user ? (
              <div className="whoami">
                <span data-testid="who">
                  {data.user.name} <span className="muted">({data.user.roles.join(", ")})</span>
                </span>
                <Form method="post" action="/logout">
                  <button type="submit" className="button button--quiet">
                    Sign out
                  </button>
                </Form>
              </div>
            ) : null}
          </div>
        </header>
        <main id="main" className="page" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>Attune — learning and assessing Dynamic Interpersonal Therapy.</p>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return <Shell>{children}</Shell>;
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

const ERROR_TEXT: Record<number, { title: string; body: string }> = {
  400: { title: "That request could not be understood", body: "Please go back and try again." },
  403: { title: "You do not have access to this page", body: "If you think you should, ask an administrator." },
  404: { title: "Page not found", body: "The page you asked for does not exist, or it has moved." },
  405: { title: "That kind of request is not accepted here", body: "Please go back and use the page's own buttons and forms." },
  413: { title: "That form is too large", body: "Please go back and send less." },
  415: { title: "That form could not be read", body: "Please go back and send it from the page's own form." },
};

export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const text = ERROR_TEXT[status] ?? {
    title: "Something went wrong",
    body: "The error has been logged. Please try again in a moment.",
  };
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-page__code">{status}</p>
      <h1 id="error-title">{text.title}</h1>
      <p>{text.body}</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/auth/session.server";
import { getCurriculum } from "#app/content.server/curriculum.server";
import { getDb } from "#app/db.server";
import { can } from "#app/domain/permissions";
import { markingQueue } from "#app/models/quiz.server";

export const meta: MetaFunction = () => [{ title: "Marking — Attune" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requirePermission(args, "quiz:mark");
  const [queue, curriculum] = await Promise.all([markingQueue(getDb(), { id: user.id, isAdmin: can(user, "quiz:mark") }), getCurriculum()]);
  const titles = new Map(curriculum.quizzes.map((q) => [q.id, q.title]));
  return {
    queue: queue.map((a) => ({
      id: a.id,
      trainee: a.user.name,
      quiz: titles.get(a.quizId) ?? a.quizId,
      submittedAt: a.submittedAt?.toISOString().slice(0, 16).replace("T", " ") ?? "",
    })),
    quizzes: curriculum.quizzes.map((q) => ({ id: q.id, title: q.title })),
  };
}

export default function MarkingQueue() {
  const { queue, quizzes } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Marking</h1>
      <p className="muted">
        Free-text and IPAF answers from trainees in your cohorts, oldest first. Marks and feedback reach the trainee when you save.
      </p>
      {queue.length === 0 ? (
        <p role="status">Nothing is waiting to be marked.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Trainee</th>
              <th scope="col">Quiz</th>
              <th scope="col">Submitted (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/marking/${a.id}`}>{a.trainee}</Link>
                </td>
                <td>{a.quiz}</td>
                <td>{a.submittedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Item analysis</h2>
      <ul>
        {quizzes.map((q) => (
          <li key={q.id}>
            <Link to={`/quizzes/${q.id}/analysis`}>{q.title}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}

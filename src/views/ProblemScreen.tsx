import type { ReactNode } from "react";

/** A full-page explanation of what is wrong and what to do, instead of a spinner that never ends. */
export function ProblemScreen({
  title,
  problems,
  children,
}: {
  title: string;
  problems: string[];
  children?: ReactNode;
}) {
  return (
    <main className="problem" role="alert">
      <h1>{title}</h1>
      <ul>
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
      {children}
    </main>
  );
}

import { Link } from "react-router";

/**
 * What Admin activity shows to someone who is not one of Roster's operators (a team's admin
 * included): plain words and where to go instead. How to make someone an operator is for the
 * people who set Roster up: the README and `npm run doctor` say it, not this page.
 */
export function NotAnOperator() {
  return (
    <section
      aria-labelledby="not-an-operator"
      className="rounded-2xl border border-slate-200 bg-white px-5 py-6 shadow-sm shadow-slate-200/50"
    >
      <h2 id="not-an-operator" className="text-lg font-semibold text-slate-900">
        Only Roster&rsquo;s operators see this page
      </h2>
      <p className="mt-2 max-w-prose text-slate-600">
        Admin activity shows how Roster keeps in step with Clerk, for the people who run Roster. Being an admin of a
        team does not open it: your team is managed on its own page.
      </p>
      <p className="mt-4 flex flex-wrap gap-3">
        <Link
          to="/team"
          className="rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700"
        >
          Go to your team
        </Link>
        <Link
          to="/profile"
          className="rounded-lg border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50"
        >
          Your profile
        </Link>
      </p>
    </section>
  );
}

import { SignIn } from "@clerk/react";
import { BrandMark } from "../components/BrandMark";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { pageTitle } from "../lib/pageTitle";

const POINTS = [
  ["Live", "Profiles, members and roles update the moment Clerk changes them — no reload."],
  ["Exactly once", "Every Clerk webhook is verified, deduplicated and applied in one transaction."],
  ["Private", "Team data is visible to members only; invitations, domains and logs to admins."],
] as const;

/** The signed-out screen: what Roster is, next to Clerk's sign-in. */
export function LandingView() {
  useDocumentTitle(pageTitle("Sign in"));
  return (
    <div className="min-h-dvh bg-gradient-to-br from-brand-50 via-white to-slate-100">
      <main className="mx-auto grid max-w-6xl grid-cols-1 items-center gap-10 px-4 py-10 sm:px-6 lg:min-h-dvh lg:grid-cols-2 lg:py-0">
        <div>
          <BrandMark />
          <h1 className="mt-8 text-4xl font-extrabold tracking-tight text-slate-900 sm:text-5xl">
            Your team, in step with Clerk. Live.
          </h1>
          <p className="mt-4 max-w-lg text-lg text-slate-600">
            Roster keeps your people, roles and invitations in sync with Clerk through its webhooks, and shows every
            change as it happens.
          </p>
          <ul className="mt-8 grid gap-4 sm:grid-cols-3 lg:grid-cols-1">
            {POINTS.map(([title, text]) => (
              <li key={title} className="rounded-xl border border-white bg-white/70 p-4 shadow-sm">
                <p className="font-semibold text-brand-700">{title}</p>
                <p className="mt-1 text-sm text-slate-600">{text}</p>
              </li>
            ))}
          </ul>
        </div>
        <div className="flex min-w-0 justify-center lg:justify-end">
          <SignIn routing="hash" />
        </div>
      </main>
    </div>
  );
}

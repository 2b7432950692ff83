import { useId, useState } from "react";
import { api } from "../../../../convex/_generated/api";
import { ErrorPanel } from "../../../components/ErrorPanel";
import { useMutation } from "../../../lib/convex";
import { describeError, type ErrorInfo } from "../../../lib/errors";

export type PinState = {
  instanceId: string | null;
  hasSecretKey: boolean;
  keyInstanceId: string | null;
  foreignInstanceIds: string[];
  problems: Array<{ what: string; fix: string }>;
};

const BUTTON =
  "rounded-lg bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-700";

/**
 * What disagrees about the Clerk instance webhooks are pinned to (each with its fix), and the
 * correction (`admin.correctInstancePin`): with CLERK_SECRET_KEY set, one button pins the key's
 * instance; without, the operator picks one of the foreign instances seen and confirms it. The
 * events kept as foreign from it then apply. Shows nothing when nothing is wrong.
 */
export function InstancePinControl({ pin }: { pin: PinState }) {
  const correct = useMutation(api.admin.correctInstancePin);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const groupId = useId();

  const keyDisagrees = pin.hasSecretKey && pin.keyInstanceId !== null && pin.keyInstanceId !== pin.instanceId;
  const offerForeign = !pin.hasSecretKey && pin.foreignInstanceIds.length > 0;
  if (pin.problems.length === 0 && !keyDisagrees && !offerForeign && done === null) return null;

  async function submit(instanceId?: string) {
    setBusy(true);
    setError(null);
    try {
      const result = await correct(instanceId === undefined ? {} : { instanceId });
      setDone(
        result === "scheduled"
          ? "Asking Clerk for the secret key's instance; the pin and the kept events follow in a moment."
          : `Pinned ${instanceId ?? ""}. The events kept from it are being applied.`,
      );
    } catch (thrown) {
      setError(describeError(thrown));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      aria-label="Clerk instance pin"
      className="mb-3 space-y-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-300"
    >
      {pin.problems.map((problem) => (
        <div key={problem.what}>
          <p>{problem.what}</p>
          <p className="mt-0.5">
            Fix: <code className="font-mono break-all">{problem.fix}</code>
          </p>
        </div>
      ))}
      {keyDisagrees ? (
        <div className="flex flex-wrap items-center gap-3">
          <button type="button" className={BUTTON} disabled={busy} onClick={() => void submit()}>
            {busy ? "Pinning…" : "Pin to the secret key's instance"}
          </button>
          <span>
            <code className="font-mono">{pin.keyInstanceId}</code>, as Clerk says for CLERK_SECRET_KEY.
          </span>
        </div>
      ) : null}
      {offerForeign ? (
        <fieldset>
          <legend className="font-medium">
            Events from these Clerk instances are kept, not applied. If one is yours, pin it:
          </legend>
          <div className="mt-1 space-y-1">
            {pin.foreignInstanceIds.map((instanceId) => (
              <label key={instanceId} className="flex items-center gap-2">
                <input
                  type="radio"
                  name={groupId}
                  value={instanceId}
                  checked={chosen === instanceId}
                  onChange={() => setChosen(instanceId)}
                />
                <code className="font-mono break-all">{instanceId}</code>
              </label>
            ))}
          </div>
          <button
            type="button"
            className={`${BUTTON} mt-2`}
            disabled={busy || chosen === null}
            onClick={() => chosen !== null && void submit(chosen)}
          >
            {busy ? "Pinning…" : chosen === null ? "Choose an instance to pin" : `Pin ${chosen}`}
          </button>
        </fieldset>
      ) : null}
      <div aria-live="polite">{done !== null ? <p>{done}</p> : null}</div>
      {error ? <ErrorPanel info={error} onDismiss={() => setError(null)} /> : null}
    </section>
  );
}

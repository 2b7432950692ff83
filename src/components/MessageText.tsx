/** A sentence in which `backticked` parts (commands, variable names) are shown as code. */
export function MessageText({ text }: { text: string }) {
  const parts = text.split("`");
  // An odd number of backticks would leave one unmatched: show the text as it is.
  if (parts.length % 2 === 0) return <>{text}</>;
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <code key={index} className="rounded bg-white/70 px-1 py-0.5 font-mono text-[0.85em] break-all">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

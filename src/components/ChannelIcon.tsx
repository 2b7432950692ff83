/** An envelope for email, a phone for SMS (decorative: the text says which). */
export function ChannelIcon({ channel }: { channel: "email" | "sms" }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 fill-none stroke-current stroke-[1.6]">
      {channel === "email" ? (
        <>
          <rect x="2.5" y="4.5" width="15" height="11" rx="2" />
          <path d="m3 5.5 7 5 7-5" strokeLinejoin="round" />
        </>
      ) : (
        <>
          <rect x="5.5" y="2.5" width="9" height="15" rx="2" />
          <path d="M9 14.5h2" strokeLinecap="round" />
        </>
      )}
    </svg>
  );
}

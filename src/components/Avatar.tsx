import { useState } from "react";
import { initialsOf } from "../lib/initials";

const SIZES = { sm: "size-9 text-xs", md: "size-12 text-sm", lg: "size-16 text-xl sm:size-20 sm:text-2xl" } as const;

/** A round picture, or the person's initials when there is none (or it fails to load). */
export function Avatar({
  name,
  imageUrl,
  size = "sm",
}: {
  name: string;
  imageUrl: string | null;
  size?: keyof typeof SIZES;
}) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const classes = `${SIZES[size]} shrink-0 rounded-full ring-2 ring-white`;
  if (imageUrl && failedUrl !== imageUrl) {
    return (
      <img
        src={imageUrl}
        alt=""
        className={`${classes} bg-slate-100 object-cover`}
        onError={() => setFailedUrl(imageUrl)}
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      className={`${classes} grid place-items-center bg-brand-100 font-semibold text-brand-700 select-none`}
    >
      {initialsOf(name)}
    </span>
  );
}

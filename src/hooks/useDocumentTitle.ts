import { useEffect } from "react";

/** Sets the tab's title while the calling screen is shown (build it with `pageTitle`). */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/** Layout stand-ins for component tests: jsdom computes no layout, so every width is 0. */

/** Makes every element's text 8 px a character wide, in a box `box` px wide (jsdom measures nothing). */
export function stubTextWidths(box: number) {
  const scroll = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "scrollWidth");
  const client = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientWidth");
  Object.defineProperty(HTMLElement.prototype, "scrollWidth", {
    configurable: true,
    get(this: HTMLElement) {
      return (this.textContent ?? "").length * 8;
    },
  });
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => box });
  return {
    /** Back to jsdom's own (inherited from Element.prototype when HTMLElement had none of its own). */
    restore() {
      if (scroll) Object.defineProperty(HTMLElement.prototype, "scrollWidth", scroll);
      else delete (HTMLElement.prototype as { scrollWidth?: number }).scrollWidth;
      if (client) Object.defineProperty(HTMLElement.prototype, "clientWidth", client);
      else delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
    },
  };
}

import { useId, useMemo, useState, type KeyboardEvent, type Ref } from "react";
import { COUNTRY_CODES } from "../../../convex/model/profile";
import { countryName } from "../../lib/format";

type Country = { code: string; name: string };

/** Every country Roster accepts, by English name (Intl.DisplayNames), sorted. */
function allCountries(): Country[] {
  return [...COUNTRY_CODES]
    .map((code) => ({ code, name: countryName(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, "en"));
}

const MAX_SHOWN = 50;

/**
 * A searchable country picker (an ARIA combobox): type part of a name or the two-letter code, move
 * with the arrows, choose with Enter or a click, close with Escape. Shows names; stores ISO codes.
 */
export function CountryPicker({
  id,
  value,
  onChange,
  inputRef,
  describedBy,
  invalid,
  className,
}: {
  id: string;
  value: string;
  onChange: (code: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  describedBy?: string;
  invalid?: boolean;
  className: string;
}) {
  const countries = useMemo(() => allCountries(), []);
  const listId = useId();
  const selectedName = value === "" ? "" : (countryName(value) ?? value);
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const query = (text ?? "").trim().toLowerCase();
  const matches = useMemo(() => {
    if (query === "") return countries.slice(0, MAX_SHOWN);
    return countries
      .filter((country) => country.name.toLowerCase().includes(query) || country.code.toLowerCase() === query)
      .sort(
        (a, b) =>
          Number(b.code.toLowerCase() === query) - Number(a.code.toLowerCase() === query) ||
          Number(b.name.toLowerCase().startsWith(query)) - Number(a.name.toLowerCase().startsWith(query)),
      )
      .slice(0, MAX_SHOWN);
  }, [countries, query]);

  function choose(country: Country | null) {
    onChange(country?.code ?? "");
    setText(null);
    setOpen(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) {
        setOpen(true);
        setActive(0);
        return;
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => (matches.length === 0 ? 0 : (current + step + matches.length) % matches.length));
    } else if (event.key === "Enter") {
      if (open && matches[active]) {
        event.preventDefault();
        choose(matches[active]);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        setOpen(false);
        setText(null);
      }
    }
  }

  function onBlur() {
    if (text === null) return;
    if (text.trim() === "") choose(null);
    else {
      const exact = countries.find(
        (country) => country.name.toLowerCase() === query || country.code.toLowerCase() === query,
      );
      if (exact) choose(exact);
      else {
        setText(null);
        setOpen(false);
      }
    }
  }

  const activeId = open && matches[active] ? `${listId}-${matches[active].code}` : undefined;
  return (
    <div className="relative">
      <input
        id={id}
        ref={inputRef}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        aria-describedby={describedBy || undefined}
        aria-invalid={invalid ? true : undefined}
        autoComplete="off"
        value={text ?? selectedName}
        placeholder="Search countries"
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setText(null)}
        onClick={() => setOpen(true)}
        onKeyDown={onKeyDown}
        onBlur={onBlur}
        className={className}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Countries"
        hidden={!open}
        className="absolute z-20 mt-1 max-h-60 w-full overflow-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg"
      >
        {matches.length === 0 ? (
          <li role="presentation" className="px-3 py-2 text-sm text-slate-600">
            No country matches “{text}”
          </li>
        ) : (
          matches.map((country, index) => (
            <li
              key={country.code}
              id={`${listId}-${country.code}`}
              role="option"
              aria-selected={country.code === value}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(country)}
              className={`flex cursor-pointer justify-between gap-3 px-3 py-1.5 text-sm ${
                index === active ? "bg-brand-50 text-brand-900" : "text-slate-800"
              }`}
            >
              <span>{country.name}</span>
              <span className="font-mono text-xs text-slate-600">{country.code}</span>
            </li>
          ))
        )}
      </ul>
    </div>
  );
}

/** Choosing from the clinic's catalogue: a specialty (by code) or a medical service (by id), or any (the empty value). */

type CatalogueSelectProps = {
  id: string;
  label: string;
  /** The empty choice's text ("any", "the usual service", "—"). */
  anyLabel: string;
  value: string;
  onChange(value: string): void;
  required?: boolean;
};

function CatalogueSelect({
  id,
  label,
  anyLabel,
  value,
  onChange,
  required,
  options,
}: CatalogueSelectProps & { options: readonly { value: string; name: string }[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} required={required} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A specialty; the value is its code. */
export function SpecialtySelect({ specialties, ...props }: CatalogueSelectProps & { specialties: readonly { code: string; name: string }[] | undefined }) {
  return <CatalogueSelect {...props} options={(specialties ?? []).map((s) => ({ value: s.code, name: s.name }))} />;
}

/** A medical service; the value is its id. */
export function ServiceSelect({ services, ...props }: CatalogueSelectProps & { services: readonly { id: string; name: string }[] | undefined }) {
  return <CatalogueSelect {...props} options={(services ?? []).map((s) => ({ value: s.id, name: s.name }))} />;
}

/** One of a doctor's services; nothing to choose (so nothing shown) when the doctor offers only one. */
export function DoctorServiceSelect(props: CatalogueSelectProps & { services: readonly { id: string; name: string }[] }) {
  return props.services.length > 1 ? <ServiceSelect {...props} /> : null;
}

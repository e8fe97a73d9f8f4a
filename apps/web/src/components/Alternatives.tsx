/** Other free times offered as buttons: one press takes that time instead (a slot taken meanwhile, a request turned down). */
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../lib/time";
import type { SlotFieldsFragment } from "../generated/operations";

/** A time that could not be taken: the API's message and the nearest free times it offers instead. */
export type SlotUnavailable = { message: string; alternatives: SlotFieldsFragment[] };

type AlternativeSlot = Pick<SlotFieldsFragment, "id" | "startsAt"> & { doctor: Pick<SlotFieldsFragment["doctor"], "name" | "timezone"> };

/** The times as a row of buttons, each in its doctor's zone (and with the doctor's name when `withDoctor`). */
export function Alternatives<S extends AlternativeSlot>({
  slots,
  onPick,
  disabled,
  withDoctor = false,
}: {
  slots: readonly S[];
  onPick(slot: S): void;
  disabled?: boolean;
  withDoctor?: boolean;
}) {
  const { i18n } = useTranslation();
  return (
    <div className="row">
      {slots.map((slot) => (
        <button type="button" className="secondary" key={slot.id} disabled={disabled} onClick={() => onPick(slot)}>
          {formatDateTime(slot.startsAt, slot.doctor.timezone, i18n.language)}
          {withDoctor ? ` · ${slot.doctor.name}` : null}
        </button>
      ))}
    </div>
  );
}

/** The refusal of a time (shown like a taken slot, as an alert), its alternatives as buttons. */
export function SlotUnavailableAlert({ unavailable, onPick }: { unavailable: SlotUnavailable; onPick(slot: SlotFieldsFragment): void }) {
  const { t } = useTranslation("patient");
  return (
    <div className="alert" role="alert">
      <p>{unavailable.message}</p>
      {unavailable.alternatives.length ? <p>{t("book.alternatives")}</p> : null}
      <Alternatives slots={unavailable.alternatives} onPick={onPick} withDoctor />
    </div>
  );
}

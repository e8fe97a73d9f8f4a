/**
 * A week of free slots in the doctor's time zone: seven day columns (stacked on a phone), each slot a button showing
 * its local start time. The zone is named above the grid; days and times are the zone's, whatever the browser's zone
 * is, and a DST day shows its real local times (e.g. no 02:30 on a spring-forward night).
 */
import { useTranslation } from "react-i18next";
import { dayIn, formatDay, formatTime, weekDays, zoneLabel, browserZone, formatDateTime } from "../lib/time";

export interface CalendarSlot {
  id: string;
  startsAt: string;
  endsAt: string;
}

export interface WeekCalendarProps {
  /** Monday of the week shown (a day of the zone). */
  monday: string;
  timezone: string;
  slots: readonly CalendarSlot[];
  selectedId?: string | null;
  onSelect(slot: CalendarSlot): void;
  onPrevious?(): void;
  onNext?(): void;
  /** The browser's zone (tests pass one). */
  viewerZone?: string;
}

/** The slots of each day of the week, by the zone's calendar day, in time order. */
export function slotsByDay(monday: string, timezone: string, slots: readonly CalendarSlot[]): Map<string, CalendarSlot[]> {
  const days = new Map(weekDays(monday).map((day) => [day, [] as CalendarSlot[]]));
  for (const slot of [...slots].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) days.get(dayIn(slot.startsAt, timezone))?.push(slot);
  return days;
}

export function WeekCalendar({ monday, timezone, slots, selectedId, onSelect, onPrevious, onNext, viewerZone }: WeekCalendarProps) {
  const { t, i18n } = useTranslation("patient");
  const language = i18n.language;
  const days = slotsByDay(monday, timezone, slots);
  const viewer = viewerZone ?? browserZone();
  const sunday = weekDays(monday)[6]!;
  return (
    <section aria-labelledby="week-heading">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="week-heading">{t("calendar.week", { from: formatDay(monday, language), to: formatDay(sunday, language) })}</h2>
        <div className="row">
          {onPrevious ? (
            <button type="button" className="secondary" onClick={onPrevious}>
              {t("calendar.previous")}
            </button>
          ) : null}
          {onNext ? (
            <button type="button" className="secondary" onClick={onNext}>
              {t("calendar.next")}
            </button>
          ) : null}
        </div>
      </div>
      <p className="small" data-testid="calendar-zone">
        {t("calendar.zone", { zone: zoneLabel(timezone, `${monday}T12:00:00Z`, language) })}
        {viewer !== timezone ? ` ${t("calendar.yourZone", { zone: viewer })}` : ""}
      </p>
      <div className="week">
        {[...days.entries()].map(([day, daySlots]) => (
          <div className="day" key={day} role="group" aria-labelledby={`day-${day}`}>
            <h3 id={`day-${day}`}>{formatDay(day, language)}</h3>
            {daySlots.length === 0 ? <p className="small muted">{t("calendar.noSlots")}</p> : null}
            {daySlots.map((slot) => (
              <button
                type="button"
                key={slot.id}
                className="slot"
                aria-pressed={slot.id === selectedId}
                aria-label={formatDateTime(slot.startsAt, timezone, language)}
                title={viewer !== timezone ? formatDateTime(slot.startsAt, viewer, language) : undefined}
                onClick={() => onSelect(slot)}
              >
                {formatTime(slot.startsAt, timezone, language)}
              </button>
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}

/** The doctor's encounter feed (myEncounterUpdates): each page subscribes while open and reacts to what concerns it. */
import { useRef } from "react";
import { useSubscription } from "@apollo/client/react";
import { DoctorEncounterUpdatesDocument, type DoctorEncounterUpdatesSubscription } from "../../generated/operations";

export type EncounterUpdate = DoctorEncounterUpdatesSubscription["myEncounterUpdates"];

/**
 * Subscribes to the signed-in doctor's encounter updates. The encounter and examination each update carries land in
 * the Apollo cache by themselves (so pages reading them refresh); `onUpdate` is for what the cache cannot do (a new
 * encounter in a list, an announcement).
 */
export function useEncounterFeed(onUpdate: (update: EncounterUpdate) => void, skip = false) {
  const latest = useRef(onUpdate);
  latest.current = onUpdate;
  return useSubscription(DoctorEncounterUpdatesDocument, {
    skip,
    variables: { since: null },
    onData: ({ data }) => {
      const update = data.data?.myEncounterUpdates;
      if (update) latest.current(update);
    },
  });
}

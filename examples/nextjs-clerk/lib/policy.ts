// The one policy of this app, typed. JSON imports widen string literals ("deny" → string), so the
// file is checked against edgeguard's Policy type here, once, for every importer.
import type { Policy } from "edgeguard";
import json from "../edgeguard.policy.json";

export const policy = json as Policy;

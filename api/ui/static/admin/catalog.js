// The catalog (types, presets, connectors, categories) and the group's entities, fetched once
// per page load: they change rarely, and every form needs them.
import { categoryLabel } from "../common/format.js";
import { api } from "./session.js";

let cached = null;

export async function reference() {
  if (!cached) {
    cached = Promise.all([api.get("/catalog"), api.get("/entities")]).then(
      ([catalog, entities]) => ({ catalog: catalog.data, entities: entities.data }),
    );
    cached.catch(() => { cached = null; });
  }
  return cached;
}

export function categoryOptions(catalog, { blank } = {}) {
  const options = catalog.categories.map((c) => [c, categoryLabel(c)]);
  return blank ? [["", blank], ...options] : options;
}

function presetOf(catalog, type, preset) {
  const list = type === "aiq_connector" ? catalog.connectors : catalog.presets;
  return list.find((p) => p.preset === preset);
}

export function presetLabel(catalog, type, preset) {
  return presetOf(catalog, type, preset)?.label || preset || "—";
}

// The catalog says, per preset, whether the category can be edited (the article's rule lives
// in domain/catalog.py only).
export function categoryEditable(catalog, app) {
  if (!app.preset) return catalog.new_integration_category_editable;
  return Boolean(presetOf(catalog, app.type, app.preset)?.category_editable);
}

export function entityChoices(entities) {
  return entities.map((e) => ({ value: e.id, label: `${e.code} — ${e.name}` }));
}

import type { ImportResult } from '@posface/protocol/admin-api';
import { ref } from 'vue';
import { api } from '@/api/admin-client';
import { useErrorText } from './useErrorText';

/** The CSV import: read the file, preview (dry run) every row, then import only a file that is all good. */
export function useCatalogueImport(onImported: () => void) {
  const errorText = useErrorText();
  const fileName = ref<string | null>(null);
  const csv = ref<string | null>(null);
  const preview = ref<ImportResult | null>(null);
  const result = ref<ImportResult | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);

  async function run(dryRun: boolean): Promise<void> {
    if (csv.value === null) return;
    busy.value = true;
    error.value = null;
    try {
      const answer = await api().importProducts(csv.value, dryRun);
      if (dryRun) preview.value = answer;
      else {
        result.value = answer;
        preview.value = answer.ok ? null : answer;
        if (answer.ok) onImported();
      }
    } catch (e) {
      error.value = errorText(e);
    } finally {
      busy.value = false;
    }
  }

  /** A chosen file is read and checked at once. */
  async function choose(file: File): Promise<void> {
    fileName.value = file.name;
    result.value = null;
    preview.value = null;
    csv.value = await file.text();
    await run(true);
  }

  function reset(): void {
    fileName.value = csv.value = null;
    preview.value = result.value = null;
    error.value = null;
  }

  return { fileName, preview, result, busy, error, choose, importNow: () => run(false), reset };
}

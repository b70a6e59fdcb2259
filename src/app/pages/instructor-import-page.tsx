import { ImportForm } from '@/features/instructor/components/import-form';
import { InstructorOnly } from '@/features/instructor/components/instructor-only';

export default function InstructorImportPage() {
  return (
    <InstructorOnly>
      <ImportForm />
    </InstructorOnly>
  );
}

// Compiles every course module (MDX → static HTML segments, table of contents,
// search sections) into build/content/curriculum.json. Unchanged modules come
// from .cache/content/<hash>.json. Run by `npm run build`.
import { compileCurriculum, writeCurriculum } from "#app/content.server/compile";

const started = performance.now();
const curriculum = await compileCurriculum();
writeCurriculum(curriculum);
console.log(
  `content: ${curriculum.modules.length} modules, ${curriculum.sections.length} search sections, version ${curriculum.version} (${Math.round(performance.now() - started)} ms)`,
);

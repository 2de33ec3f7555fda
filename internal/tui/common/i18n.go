package common

import (
	"fmt"

	"pitstop/internal/registry"
)

// T returns the interface string key in the session's language, formatted
// with args. A key missing from the catalogue comes back as itself, which
// the catalogue test catches.
func (c *Common) T(key string, args ...any) string { return Translate(c.Lang, key, args...) }

// Translate returns the string key in lang ("en" or "es").
func Translate(lang, key string, args ...any) string {
	e, ok := catalogue[key]
	if !ok {
		return key
	}
	s := e[0]
	if lang == "es" && e[1] != "" {
		s = e[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// CheckTitle returns a check's title in the interface language, from the
// family registry.
func (c *Common) CheckTitle(id, title string) string {
	return registry.CheckTitle(id, title, c.Lang)
}

// HasKey reports whether the catalogue has key (for tests and callers that
// offer optional strings, such as placeholders).
func HasKey(key string) bool {
	_, ok := catalogue[key]
	return ok
}

// CatalogueKeys returns every key, for the catalogue test.
func CatalogueKeys() map[string][2]string { return catalogue }

// catalogue holds every interface string: {English, Spanish}. Screens never
// write user-facing text anywhere else.
var catalogue = map[string][2]string{
	// Frame.
	"app.step":           {"Step %d of %d", "Paso %d de %d"},
	"app.profile":        {"profile %s", "perfil %s"},
	"app.sandbox":        {"SANDBOX: %s", "SANDBOX: %s"},
	"app.sandbox.short":  {"SANDBOX", "SANDBOX"},
	"app.toosmall.title": {"Make the window bigger", "Agranda la ventana"},
	"app.toosmall.body": {"Pitstop needs at least %d×%d to draw its screens; this window is %d×%d. Enlarge it or make the font smaller.",
		"Pitstop necesita al menos %d×%d para dibujar sus pantallas; esta ventana mide %d×%d. Agrándala o reduce la letra."},
	"help.title": {"Keys", "Teclas"},
	"help.close": {"Press any key to close this list.", "Pulsa cualquier tecla para cerrar esta lista."},

	// Keys (help text).
	"key.up":        {"up", "subir"},
	"key.move":      {"move", "mover"},
	"key.scroll":    {"scroll", "desplazar"},
	"key.down":      {"down", "bajar"},
	"key.pageup":    {"page up", "página arriba"},
	"key.pagedown":  {"page down", "página abajo"},
	"key.top":       {"first", "primero"},
	"key.bottom":    {"last", "último"},
	"key.select":    {"select", "elegir"},
	"key.toggle":    {"tick", "marcar"},
	"key.continue":  {"continue", "continuar"},
	"key.back":      {"back", "atrás"},
	"key.cancel":    {"cancel", "cancelar"},
	"key.search":    {"search", "buscar"},
	"key.nextmatch": {"next match", "siguiente"},
	"key.prevmatch": {"previous match", "anterior"},
	"key.contents":  {"contents", "índice"},
	"key.expand":    {"details", "detalles"},
	"key.rerun":     {"run again", "repetir"},
	"key.fixed":     {"did it work?", "¿se arregló?"},
	"key.paste":     {"paste the error", "pegar el error"},
	"key.yes":       {"yes", "sí"},
	"key.no":        {"no", "no"},
	"key.open":      {"open", "abrir"},
	"key.jump":      {"open that entry", "abrir esa opción"},
	"key.help":      {"all keys", "todas las teclas"},
	"key.theme":     {"theme", "tema"},
	"key.quit":      {"quit", "salir"},
	"key.forcequit": {"quit now", "salir ya"},
	"key.newline":   {"new line", "nueva línea"},
	"key.nextfield": {"next field", "campo siguiente"},
	"key.prevfield": {"previous field", "campo anterior"},

	// Check statuses and families.
	"status.pass":  {"passed", "correcto"},
	"status.warn":  {"warning", "aviso"},
	"status.fail":  {"failed", "falló"},
	"status.skip":  {"skipped", "omitido"},
	"status.error": {"could not test", "no se pudo probar"},
	// A check skipped because the one it needs did not pass.
	"result.blocked.fail":  {"Not run: “%s” failed.", "No se ejecutó: «%s» falló."},
	"result.blocked.error": {"Not run: “%s” could not be tested.", "No se ejecutó: «%s» no se pudo probar."},
	"result.blocked.warn":  {"Not run: “%s” ended with a warning.", "No se ejecutó: «%s» terminó con un aviso."},
	"count.pass.1":         {"%d passed", "%d correcta"},
	"count.pass.n":         {"%d passed", "%d correctas"},
	"count.warn.1":         {"%d warning", "%d aviso"},
	"count.warn.n":         {"%d warnings", "%d avisos"},
	"count.fail.1":         {"%d failed", "%d falló"},
	"count.fail.n":         {"%d failed", "%d fallaron"},
	"count.error.1":        {"%d could not test", "%d no se pudo probar"},
	"count.error.n":        {"%d could not test", "%d no se pudieron probar"},
	"count.skip.1":         {"%d skipped", "%d omitida"},
	"count.skip.n":         {"%d skipped", "%d omitidas"},

	// Article categories and severities.
	"kbcat.api":           {"API & keys", "API y claves"},
	"kbcat.performance":   {"Rate limits & speed", "Límites y velocidad"},
	"kbcat.content":       {"Content generation & quality", "Generación y calidad de contenido"},
	"kbcat.email":         {"Email delivery", "Entrega de correo"},
	"kbcat.crm":           {"CRM sync", "Sincronización con el CRM"},
	"kbcat.workflow":      {"Workflows", "Flujos de trabajo"},
	"kbcat.security":      {"Security & compliance", "Seguridad y cumplimiento"},
	"kbcat.data":          {"Data integration", "Integración de datos"},
	"kbcat.operations":    {"Operations", "Operación"},
	"kbcat.support":       {"Support", "Soporte"},
	"theme.dark":          {"dark", "oscuro"},
	"theme.light":         {"light", "claro"},
	"theme.high-contrast": {"high contrast", "alto contraste"},
	"theme.changed":       {"Theme: %s (t for the next)", "Tema: %s (t para el siguiente)"},
	"severity.critical":   {"critical", "crítica"},
	"severity.high":       {"high", "alta"},
	"severity.medium":     {"medium", "media"},
	"severity.low":        {"low", "baja"},

	// Home.
	"home.question":        {"What do you want to do?", "¿Qué quieres hacer?"},
	"home.guided":          {"Guided troubleshooting", "Diagnóstico guiado"},
	"home.guided.desc":     {"Pick what you see or paste the error; Pitstop checks and explains.", "Elige lo que ves o pega el error; Pitstop comprueba y te explica."},
	"home.everything":      {"Run every check", "Ejecutar todas las pruebas"},
	"home.everything.desc": {"A health check of everything configured.", "Una revisión completa de todo lo configurado."},
	"home.checklist":       {"Pre-launch checklist", "Lista previa al lanzamiento"},
	"home.checklist.desc":  {"Everything to verify before going live.", "Todo lo que hay que verificar antes de salir en vivo."},
	"home.search":          {"Search the knowledge base", "Buscar en la base de conocimiento"},
	"home.search.desc":     {"Find an article by words, symptoms or error text.", "Encuentra un artículo por palabras, síntomas o texto del error."},
	"home.monitor":         {"Monitor the API", "Monitorear la API"},
	"home.monitor.desc":    {"Probe the API repeatedly: latency, errors, alerts.", "Sondea la API una y otra vez: latencia, errores, alertas."},
	"home.escalate":        {"Prepare an escalation", "Preparar un escalamiento"},
	"home.escalate.desc":   {"Severity, support tier and a report to send.", "Severidad, nivel de soporte y un informe para enviar."},
	"home.configured":      {"Profile %s", "Perfil %s"},
	"home.noconfig":        {"(no config file: settings from the environment)", "(sin archivo de configuración: valores del entorno)"},
	"home.notset":          {"not set", "sin configurar"},
	"home.nothing": {"Nothing is set up yet: guided troubleshooting asks for what it needs. To look around first, run pitstop demo.",
		"Todavía no hay nada configurado: el diagnóstico guiado pide lo que necesita. Para explorar antes, ejecuta pitstop demo."},

	// Step 1: what is wrong?
	"problem.title":            {"What is wrong?", "¿Qué pasa?"},
	"problem.question":         {"What is wrong?", "¿Qué está fallando?"},
	"problem.hint":             {"Pick the area closest to what you see. You can go back at any step with esc.", "Elige el área más cercana a lo que ves. Puedes volver atrás en cualquier paso con esc."},
	"problem.api":              {"API & keys", "API y claves"},
	"problem.api.desc":         {"Invalid key, 401/403, cannot connect, certificates", "Clave inválida, 401/403, no conecta, certificados"},
	"problem.performance":      {"Rate limits & speed", "Límites y velocidad"},
	"problem.performance.desc": {"429 errors, slow answers, quota, costs", "Errores 429, respuestas lentas, cuota, costos"},
	"problem.content":          {"Content generation & quality", "Generación y calidad de contenido"},
	"problem.content.desc":     {"Generation fails, off-brand tone, repetition", "La generación falla, tono fuera de marca, repeticiones"},
	"problem.email":            {"Email delivery", "Entrega de correo"},
	"problem.email.desc":       {"SMTP login, TLS, spam folder, SPF/DKIM/DMARC", "Acceso SMTP, TLS, carpeta de spam, SPF/DKIM/DMARC"},
	"problem.crm":              {"CRM sync", "Sincronización con el CRM"},
	"problem.crm.desc":         {"HubSpot, Salesforce or Pipedrive: auth, scopes, fields, data quality", "HubSpot, Salesforce o Pipedrive: acceso, permisos, campos, calidad de los datos"},
	"problem.workflow":         {"Workflows", "Flujos de trabajo"},
	"problem.workflow.desc":    {"Automations that do not trigger or stall", "Automatizaciones que no se disparan o se detienen"},
	"problem.security":         {"Security & compliance", "Seguridad y cumplimiento"},
	"problem.security.desc":    {"Leaked keys, credential rotation, GDPR, consent", "Claves filtradas, rotación de credenciales, RGPD, consentimiento"},
	"problem.data":             {"Data integration", "Integración de datos"},
	"problem.data.desc":        {"Missing or duplicated data, format errors", "Datos faltantes o duplicados, errores de formato"},
	"problem.paste":            {"Paste the error message instead", "Mejor pego el mensaje de error"},
	"problem.paste.desc":       {"Pitstop reads it and finds the matching articles", "Pitstop lo lee y encuentra los artículos que corresponden"},

	// Step 2: symptoms or paste.
	"symptoms.title":       {"What you see", "Lo que ves"},
	"symptoms.question":    {"%s: what do you see?", "%s: ¿qué ves?"},
	"symptoms.hint":        {"Tick every line that matches (space), then press enter.", "Marca cada línea que coincida (espacio) y pulsa enter."},
	"symptoms.none":        {"The knowledge base has no symptoms for this area yet. Press enter to run the checks anyway, or p to paste the error.", "La base de conocimiento aún no tiene síntomas para esta área. Pulsa enter para ejecutar las pruebas igualmente, o p para pegar el error."},
	"symptoms.noneofthese": {"None of these / I'll paste the error", "Ninguno de estos / pegaré el error"},
	"symptoms.likely":      {"Most likely:", "Lo más probable:"},
	"symptoms.orpaste":     {"Have the exact error message? Press p to paste it.", "¿Tienes el mensaje de error exacto? Pulsa p para pegarlo."},
	"paste.title":          {"Paste the error", "Pega el error"},
	"paste.question":       {"Paste the error message", "Pega el mensaje de error"},
	"paste.hint":           {"Paste it as it appears (logs and JSON are fine), then press enter. Secrets in it stay masked.", "Pégalo tal como aparece (registros y JSON sirven) y pulsa enter. Los secretos que tenga quedan ocultos."},
	"paste.hint.optional":  {"Paste it as it appears, then press enter; or press enter with nothing pasted to run the checks without it. Secrets in it stay masked.", "Pégalo tal como aparece y pulsa enter; o pulsa enter sin pegar nada para ejecutar las pruebas sin él. Los secretos que tenga quedan ocultos."},
	"paste.placeholder":    {"for example: 535 5.7.8 Error: authentication failed", "por ejemplo: 535 5.7.8 Error: authentication failed"},
	"paste.matches":        {"This looks like", "Esto parece"},
	"paste.matching":       {"Reading…", "Leyendo…"},
	"paste.nomatch":        {"No article matches yet; Pitstop will still run the checks.", "Todavía no coincide ningún artículo; Pitstop igual ejecutará las pruebas."},

	// Step 3: settings.
	"settings.title":                    {"Settings", "Ajustes"},
	"settings.question":                 {"Check the settings Pitstop will use", "Revisa los ajustes que usará Pitstop"},
	"settings.hint":                     {"Only what these checks need: %s. Values come from your profile and environment.", "Solo lo que estas pruebas necesitan: %s. Los valores vienen de tu perfil y del entorno."},
	"settings.secret.env":               {"From the environment ($%s): %s. Leave empty to keep it; type to replace it for this run.", "Del entorno ($%s): %s. Déjalo vacío para conservarlo; escribe para reemplazarlo en esta ejecución."},
	"settings.secret.file":              {"From the config file: %s. Leave empty to keep it; type to replace it for this run.", "Del archivo de configuración: %s. Déjalo vacío para conservarlo; escribe para reemplazarlo en esta ejecución."},
	"settings.secret.envunset":          {"Not set: the config names $%s, which is empty. Type it here to use it for this run.", "Sin valor: la configuración usa $%s, que está vacía. Escríbelo aquí para usarlo en esta ejecución."},
	"settings.secret.unset":             {"Not set. Type it here to use it for this run; it is not saved unless you ask.", "Sin valor. Escríbelo aquí para usarlo en esta ejecución; no se guarda salvo que lo pidas."},
	"settings.secret.placeholder":       {"(keep the current value)", "(conservar el valor actual)"},
	"settings.secret.placeholder.unset": {"(type or paste it; it shows as dots)", "(escríbelo o pégalo; se ve como puntos)"},
	"settings.save":                     {"Save these settings to your config file?", "¿Guardar estos ajustes en tu archivo de configuración?"},
	"settings.save.desc":                {"%s (mode 0600). Secrets from the environment are written as ${VAR}.", "%s (modo 0600). Los secretos del entorno se escriben como ${VAR}."},
	"settings.save.yes":                 {"Save", "Guardar"},
	"settings.save.no":                  {"Only for this run", "Solo para esta ejecución"},
	"settings.inline":                   {"Write the secret you typed into the file as plain text?", "¿Escribir en el archivo, en texto plano, el secreto que tecleaste?"},
	"settings.inline.desc":              {"Anyone who can read %s could use it. Safer: leave it out and keep it in an environment variable such as $%s.", "Quien pueda leer %s podría usarlo. Más seguro: déjalo fuera y guárdalo en una variable de entorno como $%s."},
	"settings.inline.yes":               {"Write it", "Escribirlo"},
	"settings.inline.no":                {"Leave it out", "Dejarlo fuera"},
	"settings.saved":                    {"Settings saved to %s.", "Ajustes guardados en %s."},
	"settings.saved.skipped":            {"Not written: %s.", "No escrito: %s."},
	"settings.saved.err":                {"Could not save the settings: %s", "No se pudieron guardar los ajustes: %s"},

	// Fields.

	// Step 4: checks.
	"run.title":      {"Checks", "Pruebas"},
	"run.everything": {"Health check", "Revisión completa"},
	"run.checking":   {"Checking…", "Comprobando…"},
	"run.cancelling": {"Stopping…", "Deteniendo…"},
	"run.cancelled":  {"Stopped.", "Detenido."},
	"run.done":       {"Done.", "Listo."},
	"run.progress":   {"%d of %d · %s", "%d de %d · %s"},
	"run.waiting":    {"waiting", "en espera"},
	"run.running":    {"running", "en curso"},
	"run.next":       {"enter: see what it means", "enter: ver qué significa"},
	"run.none.title": {"Nothing to check", "Nada que comprobar"},
	"run.none": {"None of these areas has settings Pitstop can test. Press esc to go back and fill them in.",
		"Ninguna de estas áreas tiene ajustes que Pitstop pueda probar. Pulsa esc para volver y completarlos."},
	"run.none.everything": {"Nothing is set up in this profile yet. Guided troubleshooting (1 on the first screen) asks for the settings it needs; to look around first, run pitstop demo.",
		"Este perfil todavía no tiene nada configurado. El diagnóstico guiado (1 en la primera pantalla) pide los ajustes que necesita; para explorar antes, ejecuta pitstop demo."},

	// Step 5: results.
	"results.title":         {"Results", "Resultados"},
	"results.fix":           {"fix available", "arreglo disponible"},
	"key.fix":               {"fix", "arreglar"},
	"key.apply":             {"apply", "aplicar"},
	"fix.title":             {"Fix", "Arreglo"},
	"fix.none":              {"Pitstop has no certain fix for this result: its articles explain what to do.", "Pitstop no tiene un arreglo seguro para este resultado: sus artículos explican qué hacer."},
	"fix.kind.config":       {"setting change", "cambio de ajuste"},
	"fix.kind.dns":          {"DNS record to publish", "registro DNS que publicar"},
	"fix.kind.manual":       {"steps to take", "pasos que dar"},
	"fix.zone":              {"Zone file:", "Archivo de zona:"},
	"fix.console":           {"DNS console: host %s · type %s · TTL %d", "Consola DNS: host %s · tipo %s · TTL %d"},
	"fix.replaces":          {"Replaces: %s", "Sustituye a: %s"},
	"fix.confirm":           {"Write this change into %s and run the affected checks again? y/n", "¿Escribir este cambio en %s y repetir las comprobaciones afectadas? s/n"},
	"fix.applying":          {"Applying, then checking again…", "Aplicando y comprobando de nuevo…"},
	"fix.error":             {"Not applied: %s", "No se aplicó: %s"},
	"fix.verified":          {"Applied. Checked again:", "Aplicado. Comprobado de nuevo:"},
	"fix.hint.apply":        {"Press a to apply the setting change (you will be asked first).", "Pulsa a para aplicar el cambio de ajuste (se te preguntará antes)."},
	"fix.hint.noconfig":     {"The settings come from the environment, not a file: make the change where they are set.", "Los ajustes vienen del entorno, no de un archivo: haz el cambio donde se definen."},
	"fix.applied":           {"Applied and checked again", "Aplicado y comprobado de nuevo"},
	"fix.failed":            {"The fix was not applied", "El arreglo no se aplicó"},
	"fix.copied":            {"Copied to the clipboard", "Copiado al portapapeles"},
	"results.allgood":       {"Everything Pitstop can test works.", "Todo lo que Pitstop puede probar funciona."},
	"results.problems.1":    {"Pitstop found %d problem. It points to an article below.", "Pitstop encontró %d problema. Apunta a un artículo más abajo."},
	"results.problems.n":    {"Pitstop found %d problems. Each one points to an article below.", "Pitstop encontró %d problemas. Cada uno apunta a un artículo más abajo."},
	"results.warnings.1":    {"It works, with %d warning worth a look.", "Funciona, con %d aviso que vale la pena revisar."},
	"results.warnings.n":    {"It works, with %d warnings worth a look.", "Funciona, con %d avisos que vale la pena revisar."},
	"results.none":          {"No checks ran.", "No se ejecutó ninguna prueba."},
	"results.cancelled":     {"(stopped before the end)", "(detenido antes de terminar)"},
	"results.took":          {"took %s", "tardó %s"},
	"results.articles":      {"What to read", "Qué leer"},
	"results.articles.hint": {"ranked by what Pitstop saw", "ordenado según lo que vio Pitstop"},
	"results.noarticles":    {"No article matches what Pitstop saw.", "Ningún artículo coincide con lo que vio Pitstop."},
	"results.read":          {"(read)", "(leído)"},
	"results.fill":          {"Filled in, per mapped field", "Completos, por campo asignado"},
	"results.fill.complete": {"every mapped field", "todos los campos asignados"},

	// Article.
	"article.title":              {"Article", "Artículo"},
	"article.missing.title":      {"Article not found", "Artículo no encontrado"},
	"article.missing":            {"There is no article %q.", "No existe el artículo %q."},
	"article.missing.hint":       {"Press esc to go back.", "Pulsa esc para volver."},
	"article.loading":            {"Rendering…", "Preparando…"},
	"article.contents":           {"Contents", "Índice"},
	"article.related":            {"Related", "Relacionados"},
	"article.search.placeholder": {"search in this article", "buscar en este artículo"},
	"article.matches":            {"%d lines", "%d líneas"},
	"article.match":              {"match %d of %d for %q · n/N", "coincidencia %d de %d para %q · n/N"},
	"article.nomatch":            {"no line holds %q", "ninguna línea contiene %q"},
	"article.position":           {"%d%%", "%d%%"},

	// Step 6: did this fix it?
	"outcome.title":          {"Did this fix it?", "¿Se arregló?"},
	"outcome.confirming":     {"Checking again to confirm…", "Comprobando de nuevo para confirmarlo…"},
	"outcome.still.title":    {"Not yet: the checks still find a problem", "Todavía no: las comprobaciones aún encuentran un problema"},
	"outcome.still.hint":     {"Checked again just now: %s. What next?", "Comprobado de nuevo ahora mismo: %s. ¿Qué quieres hacer?"},
	"outcome.question":       {"Did this fix it?", "¿Esto lo arregló?"},
	"outcome.hint":           {"Try what the article says, then tell Pitstop.", "Prueba lo que dice el artículo y cuéntale a Pitstop."},
	"outcome.yes":            {"Yes, it works now", "Sí, ya funciona"},
	"outcome.no":             {"No, it still fails", "No, sigue fallando"},
	"outcome.fixed.title":    {"Good. Here is what happened.", "Bien. Esto es lo que pasó."},
	"outcome.fixed.next":     {"enter: back to the start", "enter: volver al inicio"},
	"outcome.said":           {"You said", "Dijiste"},
	"outcome.pasted":         {"pasted error: %s", "error pegado: %s"},
	"outcome.checks":         {"The checks", "Las pruebas"},
	"outcome.found":          {"%d run, %d passed.", "%d ejecutadas, %d correctas."},
	"outcome.attention.1":    {"%d needs attention:", "%d requiere atención:"},
	"outcome.attention.n":    {"%d need attention:", "%d requieren atención:"},
	"outcome.read":           {"You read", "Leíste"},
	"outcome.saved":          {"Settings saved to", "Ajustes guardados en"},
	"outcome.notfixed.title": {"What next?", "¿Y ahora?"},
	"outcome.notfixed.hint":  {"When it still fails, support gets everything Pitstop saw.", "Si sigue fallando, soporte recibe todo lo que vio Pitstop."},
	"outcome.escalate":       {"Prepare an escalation", "Preparar un escalamiento"},
	"outcome.escalate.desc":  {"Severity, support tier and a report with every check.", "Severidad, nivel de soporte y un informe con cada prueba."},
	"outcome.rerun":          {"Run the checks again", "Ejecutar las pruebas de nuevo"},
	"outcome.rerun.desc":     {"After a change, see whether the results moved.", "Tras un cambio, mira si los resultados cambiaron."},
	"outcome.another":        {"Read another article", "Leer otro artículo"},
	"outcome.another.desc":   {"Back to the results and the ranked articles.", "Volver a los resultados y los artículos sugeridos."},
	"outcome.restart":        {"Start over", "Empezar de nuevo"},
	"outcome.restart.desc":   {"Back to the first screen.", "Volver a la primera pantalla."},

	// Search.
	"search.title":       {"Search", "Buscar"},
	"search.placeholder": {"words, a symptom or an error code", "palabras, un síntoma o un código de error"},
	"search.count":       {"%d articles", "%d artículos"},
	"search.none":        {"Nothing matches. Try fewer or other words.", "Nada coincide. Prueba con menos palabras u otras."},

	// Accessible mode.
	"acc.title":         {"guided troubleshooting, accessible mode", "diagnóstico guiado, modo accesible"},
	"acc.profile":       {"Profile %s. Settings from %s.", "Perfil %s. Ajustes de %s."},
	"acc.step":          {"Step %d of %d: %s", "Paso %d de %d: %s"},
	"acc.symptoms.hint": {"None of these? Press enter with nothing typed, then paste the error or go on without it.", "¿Ninguno de estos? Pulsa enter sin escribir nada y luego pega el error o sigue sin él."},
	"acc.paste.hint":    {"Paste the error message on one line and press enter (empty to skip).", "Pega el mensaje de error en una línea y pulsa enter (vacío para omitir)."},
	"acc.likely":        {"Most likely: %s.", "Lo más probable: %s."},
	"acc.fromfile":      {"from the config file", "del archivo de configuración"},
	"acc.hidden":        {"(typing is hidden; empty to skip)", "(lo que escribas no se muestra; vacío para omitir)"},
	"acc.running.1":     {"Running %d check. Its result is read out when it finishes.", "Ejecutando %d prueba. Su resultado se anuncia al terminar."},
	"acc.running.n":     {"Running %d checks. Each result is read out as it finishes.", "Ejecutando %d pruebas. Cada resultado se anuncia al terminar."},
	"acc.read":          {"Read an article?", "¿Leer un artículo?"},
	"acc.continue":      {"Continue", "Continuar"},
	"acc.escalate":      {"To escalate, run: pitstop report --out ticket.md. It holds every check and what you tried.", "Para escalar, ejecuta: pitstop report --out ticket.md. Incluye cada prueba y lo que intentaste."},
	"acc.quit":          {"Quit", "Salir"},
	"acc.done":          {"done", "hecho"},
	"acc.todo":          {"to do", "pendiente"},
	"acc.save":          {"Save the report as %s? Only you can read the file.", "¿Guardar el informe como %s? Solo tú puedes leer el archivo."},
	// Accessible mode's own prompts: one wording per question and per mistake.
	"acc.prompt.one":          {"Type a number from 1 to %d:", "Escribe un número del 1 al %d:"},
	"acc.prompt.one.default":  {"Type a number from 1 to %d (enter for %d):", "Escribe un número del 1 al %d (enter para el %d):"},
	"acc.prompt.many":         {"Type the numbers that match, like 1,3,5 or 2-4, from 1 to %d (enter for none):", "Escribe los números que coincidan, como 1,3,5 o 2-4, del 1 al %d (enter para ninguno):"},
	"acc.prompt.yesno.yes":    {"(y/n, enter for yes):", "(s/n, enter para sí):"},
	"acc.prompt.yesno.no":     {"(y/n, enter for no):", "(s/n, enter para no):"},
	"acc.invalid.number":      {"“%s” is not one of the choices: type numbers from 1 to %d.", "«%s» no es una de las opciones: escribe números del 1 al %d."},
	"acc.invalid.yesno":       {"“%s” is not an answer: type y for yes or n for no.", "«%s» no es una respuesta: escribe s para sí o n para no."},
	"acc.invalid.value":       {"Not accepted: %s", "No se acepta: %s"},
	"acc.confirming":          {"Running the checks again to confirm…", "Repitiendo las pruebas para confirmarlo…"},
	"acc.confirmed":           {"Confirmed: every check that failed now passes.", "Confirmado: cada prueba que fallaba ahora pasa."},
	"acc.stillfailing":        {"The checks do not agree: these still fail or could not test.", "Las pruebas no coinciden: estas aún fallan o no se pudieron hacer."},
	"acc.fixes.1":             {"Pitstop is certain of %d fix:", "Pitstop está seguro de %d arreglo:"},
	"acc.fixes.n":             {"Pitstop is certain of %d fixes:", "Pitstop está seguro de %d arreglos:"},
	"acc.fix.confirm":         {"Write this change into %s and run the affected checks again?", "¿Escribir este cambio en %s y repetir las pruebas afectadas?"},
	"acc.fix.declined":        {"Not applied: the file is unchanged.", "No se aplicó: el archivo no cambió."},
	"acc.fix.applied":         {"applied", "aplicado"},
	"acc.fix.file":            {"In %s:", "En %s:"},
	"acc.notrun":              {"not run", "sin ejecutar"},
	"acc.clist.none":          {"There are no checklists.", "No hay listas de verificación."},
	"acc.clist.count":         {"%d of %d done.", "%d de %d hechos."},
	"acc.clist.state.open":    {"to do", "pendiente"},
	"acc.clist.state.done":    {"done", "hecho"},
	"acc.clist.state.failing": {"failing", "falla"},
	"acc.clist.state.n/a":     {"not applicable", "no aplica"},
	"acc.clist.state.blocked": {"not tested", "sin probar"},
	"acc.clist.required":      {"required", "obligatorio"},
	"acc.clist.tick":          {"Tick or untick what you have done yourself:", "Marca o desmarca lo que hayas hecho tú:"},
	"acc.search.hint":         {"(enter with nothing typed goes back)", "(enter sin escribir nada vuelve atrás)"},
	"acc.search.again":        {"Search again", "Buscar otra vez"},
	"acc.search.found.1":      {"%d article matches.", "%d artículo coincide."},
	"acc.search.found.n":      {"%d articles match.", "%d artículos coinciden."},
	"acc.monitor.noapi":       {"Nothing to monitor: no AI API is set up in this profile. Set api.base_url (or api.provider) in your config file, or try the sandbox: pitstop demo.", "Nada que monitorear: este perfil no tiene una API de IA configurada. Define api.base_url (o api.provider) en tu archivo de configuración, o prueba el sandbox: pitstop demo."},
	"acc.monitor.err":         {"The monitor cannot start: %s", "El monitor no puede empezar: %s"},
	"acc.monitor.time":        {"How long should it run? One probe every %s.", "¿Cuánto tiempo debe sondear? Un sondeo cada %s."},
	"acc.monitor.time.hint":   {"(a duration such as 30s, 5m or 1h; enter alone: until you press enter)", "(una duración como 30s, 5m o 1h; solo enter: hasta que pulses enter)"},
	"acc.monitor.time.bad":    {"type a duration such as 30s, 5m or 1h, or 0 to run until you stop it", "escribe una duración como 30s, 5m o 1h, o 0 para sondear hasta que lo pares"},
	"acc.monitor.start":       {"Probing %s. Press enter to stop and go back; Ctrl-C quits Pitstop.", "Sondeando %s. Pulsa enter para parar y volver; Ctrl-C cierra Pitstop."},
	"acc.monitor.round":       {"Round %d: %s.", "Ronda %d: %s."},
	"acc.monitor.answer":      {"%s in %s", "%s en %s"},
	"acc.monitor.noanswer":    {"%s (after %s)", "%s (tras %s)"},
	"acc.monitor.alert":       {"Alert: %s", "Alerta: %s"},
	"acc.monitor.summary":     {"Probes: %d (succeeded: %d, refused: %d, failed: %d).", "Sondeos: %d (correctos: %d, rechazados: %d, fallidos: %d)."},
	"acc.monitor.latency":     {"Latency: p50 %s, p95 %s, max %s.", "Latencia: p50 %s, p95 %s, máx. %s."},
	"acc.monitor.noalerts":    {"No alerts.", "Sin alertas."},
}

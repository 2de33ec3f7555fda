package common

// The strings of the escalation and checklist screens join the one
// catalogue here, in their own file so those screens can grow without
// touching the rest of it.
func init() {
	for k, v := range escalationCatalogue {
		catalogue[k] = v
	}
}

var escalationCatalogue = map[string][2]string{
	// Escalation screen.
	"esc.title": {"Escalation", "Escalamiento"},
	"esc.intro": {"Four questions decide how urgent this is and who should handle it.",
		"Cuatro preguntas deciden qué tan urgente es y quién debe atenderlo."},
	"esc.q.impact":      {"How much does this hurt the business?", "¿Cuánto afecta esto al negocio?"},
	"esc.impact.low":    {"Low — an inconvenience; work goes on", "Bajo — una molestia; el trabajo sigue"},
	"esc.impact.medium": {"Medium — some campaigns or people are held up", "Medio — algunas campañas o personas están detenidas"},
	"esc.impact.high":   {"High — revenue or customers are affected now", "Alto — los ingresos o los clientes se ven afectados ya"},
	"esc.q.dataloss":    {"Is data being lost?", "¿Se están perdiendo datos?"},
	"esc.q.dataloss.desc": {"Contacts, campaign results or mail that cannot be recovered.",
		"Contactos, resultados de campañas o correos que no se pueden recuperar."},
	"esc.q.allusers":      {"Is everyone affected, or is the system down?", "¿Están todos afectados o el sistema está caído?"},
	"esc.q.allusers.desc": {"Not one campaign or one person: all of them.", "No una campaña ni una persona: todas."},
	"esc.q.security":      {"Is there a security or compliance concern?", "¿Hay una preocupación de seguridad o de cumplimiento?"},
	"esc.q.security.desc": {"A leaked key, exposed personal data, consent or unsubscribe problems.",
		"Una clave filtrada, datos personales expuestos, problemas de consentimiento o de baja."},
	"esc.yes":           {"Yes", "Sí"},
	"esc.no":            {"No", "No"},
	"esc.q.expected":    {"What did you expect to happen? (optional)", "¿Qué esperabas que pasara? (opcional)"},
	"esc.q.actual":      {"What happens instead? (optional)", "¿Qué pasa en cambio? (opcional)"},
	"esc.q.placeholder": {"one sentence is enough", "basta con una frase"},
	"esc.running": {"Running every configured check (%d) first, so the report has fresh evidence…",
		"Primero se ejecutan todas las comprobaciones configuradas (%d), para que el informe tenga datos recientes…"},
	"esc.building":   {"Working out severity and tier…", "Calculando severidad y nivel…"},
	"esc.heading":    {"Escalate as %s · %s", "Escalar como %s · %s"},
	"esc.severity":   {"Severity", "Severidad"},
	"esc.tier":       {"Tier", "Nivel"},
	"esc.level":      {"Support level", "Nivel de soporte"},
	"esc.response":   {"First answer", "Primera respuesta"},
	"esc.resolution": {"Resolution", "Resolución"},
	"esc.within":     {"within %s", "en menos de %s"},
	"esc.channels":   {"Notify by", "Avisar por"},
	"esc.trigger":    {"Escalation", "Escalamiento"},
	"esc.why":        {"Why", "Por qué"},
	"esc.ticket":     {"What the report holds (%d of %d)", "Lo que incluye el informe (%d de %d)"},
	"esc.actions": {"s saves the report (only you can read the file) · c copies it · e changes the answers",
		"s guarda el informe (solo tú puedes leer el archivo) · c lo copia · e cambia las respuestas"},
	"esc.saved":    {"Report saved to %s", "Informe guardado en %s"},
	"esc.savedat":  {"Saved: %s", "Guardado: %s"},
	"esc.save.err": {"Could not save the report: %s", "No se pudo guardar el informe: %s"},
	"esc.copied": {"Report copied (OSC 52). If your terminal blocks that, press s to save it instead.",
		"Informe copiado (OSC 52). Si tu terminal no lo permite, pulsa s para guardarlo."},
	"esc.err": {"Could not build the report: %s", "No se pudo preparar el informe: %s"},

	// Checklist screen.
	"clist.title": {"Checklists", "Listas de verificación"},
	// Tab labels of the built-in lists (a list of --kb without one shows its name).
	"clist.tab.prelaunch":      {"Pre-launch", "Lanzamiento"},
	"clist.tab.bulk-sender":    {"Bulk sender", "Envío masivo"},
	"clist.tab.before-support": {"Before support", "Antes de soporte"},
	"clist.tab.escalation":     {"Escalation", "Escalamiento"},
	"clist.tab.prevention":     {"Prevention", "Prevención"},
	"clist.running": {"Running every configured check (%d)…",
		"Ejecutando todas las comprobaciones configuradas (%d)…"},
	"clist.complete": {"Complete: all %d done.", "Completa: los %d hechos."},
	"clist.optional": {"%d of %d done; the rest are optional.", "%d de %d hechos; el resto es opcional."},
	"clist.done":     {"%d of %d done", "%d de %d hechos"},
	"clist.failingN": {"%d failing", "%d fallan"},
	"clist.openN":    {"%d required still open", "%d obligatorios pendientes"},
	"clist.required": {"required", "obligatorio"},
	"clist.check":    {"check", "comprobación"},
	"clist.auto":     {"settled by Pitstop", "resuelto por Pitstop"},
	"clist.manual":   {"space ticks it", "espacio lo marca"},
	"clist.failing":  {"failing", "falla"},
	"clist.blocked":  {"not tested", "sin probar"},
	"clist.na":       {"not applicable", "no aplica"},
	"clist.copied": {"Checklist copied as Markdown (OSC 52).",
		"Lista copiada como Markdown (OSC 52)."},
	"clist.locked": {"Pitstop settles this item from a check; fix the check and press r.",
		"Pitstop resuelve este punto con una comprobación; arréglala y pulsa r."},

	// Keys of these screens.
	"key.save":    {"save report", "guardar informe"},
	"key.copy":    {"copy", "copiar"},
	"key.edit":    {"change answers", "cambiar respuestas"},
	"key.switch":  {"other list", "otra lista"},
	"key.recheck": {"run checks again", "repetir comprobaciones"},
}

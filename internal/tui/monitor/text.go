package monitor

import "fmt"

// texts are the screen's strings in each interface language.
var texts = map[string]map[string]string{
	"en": {
		"title":        "Monitor",
		"broken":       "Nothing to monitor",
		"noapi":        "No AI API is set up in this profile. Set api.base_url (or api.provider) in your config file, or try the sandbox: pitstop demo.",
		"running":      "monitoring",
		"paused":       "paused",
		"finished":     "finished",
		"every":        "a probe every %s",
		"probes":       "%d probes",
		"latency":      "Latency",
		"last":         "last %s",
		"p50":          "p50",
		"p95":          "p95",
		"max":          "max",
		"mean":         "mean",
		"success":      "Success",
		"errors":       "Errors",
		"throughput":   "Throughput",
		"endpoints":    "Endpoints",
		"waiting":      "Waiting for the first answers…",
		"alerts":       "Alerts",
		"noalerts":     "None. Limits: %s",
		"down":         "down",
		"failing":      "failing",
		"noanswer":     "no answer",
		"cleared":      "CLEARED",
		"sev.CRITICAL": "CRITICAL",
		"sev.WARNING":  "WARNING",
		"emailed":      "emailed",
		"mailfailed":   "email not sent",
		"key.pause":    "pause/resume",
		"key.reset":    "start over",
		"key.back":     "back",
		"key.quit":     "quit",

		"alert.HIGH_RESPONSE_TIME": "Answers are slow: %s on average, above the %s limit.",
		"alert.HIGH_ERROR_RATE":    "The API is failing: %s of requests got no good answer (limit %s).",
		"alert.LOW_SUCCESS_RATE":   "Only %s of requests succeeded (expected at least %s).",
		"alert.LOW_THROUGHPUT":     "Only %.0f successful requests a minute (expected at least %.0f).",
		"alert.ENDPOINT_DOWN":      "%s failed its last %.0f checks in a row.",
		"alert.ENDPOINT_DOWN.many": "%d endpoints are down: %s; each failed at least its last %.0f checks in a row.",
	},
	"es": {
		"title":        "Monitor",
		"broken":       "No hay nada que monitorear",
		"noapi":        "Este perfil no tiene una API de IA configurada. Define api.base_url (o api.provider) en tu archivo de configuración, o prueba el sandbox: pitstop demo.",
		"running":      "monitoreando",
		"paused":       "en pausa",
		"finished":     "terminado",
		"every":        "una prueba cada %s",
		"probes":       "%d pruebas",
		"latency":      "Latencia",
		"last":         "última %s",
		"p50":          "p50",
		"p95":          "p95",
		"max":          "máx",
		"mean":         "media",
		"success":      "Éxito",
		"errors":       "Errores",
		"throughput":   "Rendimiento",
		"endpoints":    "Endpoints",
		"waiting":      "Esperando las primeras respuestas…",
		"alerts":       "Alertas",
		"noalerts":     "Ninguna. Límites: %s",
		"down":         "caído",
		"failing":      "fallando",
		"noanswer":     "sin respuesta",
		"cleared":      "RESUELTA",
		"sev.CRITICAL": "CRÍTICA",
		"sev.WARNING":  "AVISO",
		"emailed":      "enviada por correo",
		"mailfailed":   "correo no enviado",
		"key.pause":    "pausar/seguir",
		"key.reset":    "empezar de nuevo",
		"key.back":     "volver",
		"key.quit":     "salir",

		"alert.HIGH_RESPONSE_TIME": "Las respuestas son lentas: %s de media, por encima del límite de %s.",
		"alert.HIGH_ERROR_RATE":    "La API está fallando: el %s de las solicitudes no tuvo una respuesta válida (límite %s).",
		"alert.LOW_SUCCESS_RATE":   "Solo el %s de las solicitudes tuvo éxito (se esperaba al menos %s).",
		"alert.LOW_THROUGHPUT":     "Solo %.0f solicitudes con éxito por minuto (se esperaban al menos %.0f).",
		"alert.ENDPOINT_DOWN":      "%s falló sus últimas %.0f pruebas seguidas.",
		"alert.ENDPOINT_DOWN.many": "Hay %d endpoints caídos: %s; cada uno falló al menos sus últimas %.0f pruebas seguidas.",
	},
}

// text returns the string for key in lang (English when missing).
func text(lang, key string) string {
	if s, ok := texts[lang][key]; ok {
		return s
	}
	return texts["en"][key]
}

// t formats the string for key in the interface language.
func (m *Model) t(key string, args ...any) string {
	s := text(m.com.Lang, key)
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

package monitor

import "fmt"

// texts are the screen's strings in each interface language.
var texts = map[string]map[string]string{
	"en": {
		"title":      "Monitor",
		"broken":     "Nothing to monitor",
		"running":    "monitoring",
		"paused":     "paused",
		"finished":   "finished",
		"every":      "a probe every %s",
		"probes":     "%d probes",
		"latency":    "Latency",
		"last":       "last %s",
		"p50":        "p50",
		"p95":        "p95",
		"max":        "max",
		"mean":       "mean",
		"success":    "Success",
		"errors":     "Errors",
		"throughput": "Throughput",
		"endpoints":  "Endpoints",
		"waiting":    "Waiting for the first answers…",
		"alerts":     "Alerts",
		"noalerts":   "None. Limits: %s",
		"down":       "down",
		"failing":    "failing",
		"noanswer":   "no answer",
		"cleared":    "CLEARED",
		"emailed":    "emailed",
		"mailfailed": "email not sent",
		"key.pause":  "pause/resume",
		"key.reset":  "start over",
		"key.back":   "back",
		"key.quit":   "quit",
	},
	"es": {
		"title":      "Monitor",
		"broken":     "No hay nada que monitorear",
		"running":    "monitoreando",
		"paused":     "en pausa",
		"finished":   "terminado",
		"every":      "una prueba cada %s",
		"probes":     "%d pruebas",
		"latency":    "Latencia",
		"last":       "última %s",
		"p50":        "p50",
		"p95":        "p95",
		"max":        "máx",
		"mean":       "media",
		"success":    "Éxito",
		"errors":     "Errores",
		"throughput": "Rendimiento",
		"endpoints":  "Endpoints",
		"waiting":    "Esperando las primeras respuestas…",
		"alerts":     "Alertas",
		"noalerts":   "Ninguna. Límites: %s",
		"down":       "caído",
		"failing":    "fallando",
		"noanswer":   "sin respuesta",
		"cleared":    "RESUELTA",
		"emailed":    "enviada por correo",
		"mailfailed": "correo no enviado",
		"key.pause":  "pausar/seguir",
		"key.reset":  "empezar de nuevo",
		"key.back":   "volver",
		"key.quit":   "salir",
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

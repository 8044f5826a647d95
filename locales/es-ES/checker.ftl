# Comprobador de registros integrado (templates/partials/log_checker.html, assets/checker.js).
# Variables: $log_name, $name, $percent, $line, $session_line, $verdict, $file.

checker-privacy = La comprobación se hace en esta página. Su registro nunca sale del navegador: no se envía ni se guarda nada.
checker-noscript = El comprobador de registros necesita JavaScript. El resto de esta página funciona sin él.
checker-drop = Suelte aquí { $log_name }. Puede soltar varios archivos a la vez, por ejemplo el archivo .lo_ más antiguo junto con el .log.
checker-file-hint = Busque: { $name }
checker-choose = Elegir archivos
checker-paste-label = O pegue líneas del registro:
checker-check = Comprobar el texto pegado
checker-reset = Borrar
checker-progress = Leyendo el registro… { $percent } %
checker-verdict-affected = Afectado
checker-verdict-not-affected = No afectado
checker-verdict-inconclusive = No concluyente
checker-empty = No concluyente: el registro está vacío.
checker-not-text = No concluyente: esto no es un registro de texto. Elija el propio archivo .log, no un archivo comprimido ni un programa.
checker-note-history = Una sesión anterior, en la línea { $line }, dio otro resultado: { $verdict }.
checker-note-unfinished = Una sesión posterior, en la línea { $line }, no ha terminado; el resultado procede de la sesión de la línea { $session_line }.
checker-file-binary = { $file } no es un archivo de texto y se ha omitido.
checker-file-empty = { $file } está vacío.
checker-lines-heading = Líneas encontradas en el registro
checker-legend-evidence = Prueba del resultado
checker-legend-match = Otra línea coincidente
checker-truncated = Se encontraron más líneas coincidentes de las que muestra esta página.
checker-error = No se pudo leer el registro:
checker-stalled = La comprobación se detuvo tras { $seconds } segundos sin avanzar: una de sus reglas es demasiado lenta en una línea de este registro, así que no se puede concluir nada. Informe al editor de este aviso.
checker-pasted-name = texto pegado

# Verificador de logs incorporado (templates/partials/log_checker.html, assets/checker.js).
# Variáveis: $log_name, $name, $percent, $line, $session_line, $verdict, $file.

checker-privacy = A verificação é feita nesta página. Seu log nunca sai do navegador: nada é enviado nem armazenado.
checker-noscript = O verificador de logs precisa de JavaScript. O restante desta página funciona sem ele.
checker-drop = Solte o { $log_name } aqui. Você pode soltar vários arquivos de uma vez, por exemplo o arquivo .lo_ mais antigo junto com o .log.
checker-file-hint = Procure por: { $name }
checker-choose = Escolher arquivos
checker-paste-label = Ou cole linhas do log:
checker-check = Verificar o texto colado
checker-reset = Limpar
checker-progress = Lendo o log… { $percent }%
checker-verdict-affected = Afetado
checker-verdict-not-affected = Não afetado
checker-verdict-inconclusive = Inconclusivo
checker-empty = Inconclusivo: o log está vazio.
checker-not-text = Inconclusivo: isto não é um log de texto. Escolha o próprio arquivo .log, não um arquivo compactado ou um programa.
checker-note-history = Uma sessão anterior, na linha { $line }, teve outro resultado: { $verdict }.
checker-note-unfinished = Uma sessão posterior, na linha { $line }, não terminou; o resultado vem da sessão da linha { $session_line }.
checker-file-binary = { $file } não é um arquivo de texto e foi ignorado.
checker-file-empty = { $file } está vazio.
checker-lines-heading = Linhas encontradas no log
checker-legend-evidence = Evidência do resultado
checker-legend-match = Outra linha correspondente
checker-truncated = Foram encontradas mais linhas correspondentes do que esta página mostra.
checker-error = Não foi possível ler o log:
checker-stalled = A verificação foi interrompida após { $seconds } segundos sem progresso: uma das regras é lenta demais em uma linha deste log, então nada pode ser concluído. Informe o publicador deste comunicado.
checker-pasted-name = texto colado

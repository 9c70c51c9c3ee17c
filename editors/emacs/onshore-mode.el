;;; onshore-mode.el --- Major mode for Onshore scenario files  -*- lexical-binding: t; -*-

;; Copyright (c) 2026 The Onshore authors.  MIT licence (see LICENSE).
;; Install: make install (site-lisp), or put this file on `load-path' and
;;   (require 'onshore-mode)
;; Files ending in .ons open in this mode.  `M-x compile' with
;; "onshore check FILE" jumps to errors: they are FILE:LINE:COL.

;;; Code:

(defgroup onshore nil "Onshore scenario files." :group 'languages)

(defcustom onshore-indent-offset 4
  "Columns an Onshore block is indented by."
  :type 'integer :group 'onshore)

(defconst onshore-keywords
  '("stages" "stage" "class" "region" "group" "material" "facility" "lane" "demand"
    "policy" "scenario" "extends" "use" "run" "report" "explain" "import" "let" "fn"
    "return" "if" "then" "else" "for" "in" "while" "and" "or" "not" "mod" "assert" "as"
    "tariff" "credit" "ban" "require" "on" "from" "to" "until" "share" "of" "recycled"
    "top" "origin" "localization" "step" "linear" "at"
    ;; contextual (spec 9): keywords where their construct starts
    "param" "sweep" "option" "plan" "plot" "quota" "feeds" "spread" "drivers" "record"
    "enforce" "choice")
  "Onshore keywords.")

(defconst onshore-font-lock-keywords
  `((,(regexp-opt onshore-keywords 'symbols) . font-lock-keyword-face)
    (,(regexp-opt '("true" "false" "nil") 'symbols) . font-lock-constant-face)
    ("\\_<year\\_>" . font-lock-builtin-face)
    ("\\_<\\(?:stages\\|region\\|material\\|facility\\|policy\\|scenario\\|group\\|demand\\|option\\|param\\)\\_>[ \t]+\\([A-Za-z_][A-Za-z0-9_]*\\)"
     1 font-lock-type-face)
    ("\\_<fn\\_>[ \t]+\\([A-Za-z_][A-Za-z0-9_]*\\)" 1 font-lock-function-name-face)
    ;; a number and its unit: 40 kt/yr, 25%
    ("\\_<[0-9][0-9_]*\\(?:\\.[0-9_]+\\)?\\(?:[eE][-+]?[0-9]+\\)?[ \t]*\\(%\\|[A-Za-z$]+\\(?:/[A-Za-z$]+\\)*\\)?"
     1 font-lock-type-face nil t))
  "Highlighting of Onshore code.")

(defvar onshore-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?# "<" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?% "." table)
    table)
  "Syntax table of `onshore-mode'.")

(defun onshore-indent-line ()
  "Indent the current line by the depth of open braces and brackets."
  (interactive)
  (let ((depth (save-excursion
                 (beginning-of-line)
                 (car (syntax-ppss))))
        (closing (save-excursion
                   (back-to-indentation)
                   (looking-at "[]})]"))))
    (indent-line-to (* onshore-indent-offset (max 0 (if closing (1- depth) depth))))))

;;;###autoload
(define-derived-mode onshore-mode prog-mode "Onshore"
  "Major mode for Onshore scenario files (.ons)."
  :syntax-table onshore-mode-syntax-table
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+[ \t]*")
  (setq-local indent-line-function #'onshore-indent-line)
  (setq-local font-lock-defaults '(onshore-font-lock-keywords)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.ons\\'" . onshore-mode))

(provide 'onshore-mode)
;;; onshore-mode.el ends here

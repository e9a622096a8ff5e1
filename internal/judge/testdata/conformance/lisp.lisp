(defun spin ()
  (let ((x 2))
    (loop while (/= x 0) do (setf x (mod (* x x) 1000003)))
    x))

(defun main ()
  (let ((mode (string-downcase (symbol-name (read)))))
    (cond
      ((string= mode "hello") (format t "Hello, World!~%"))
      ((string= mode "sum") (format t "~d~%" (+ (read) (read))))
      ((string= mode "loop") (format t "~d~%" (spin)))
      ((string= mode "crash") (error "crash on purpose"))
      ((string= mode "alloc")
       (let ((keep '()))
         (loop (push (make-array (* 1024 1024) :element-type '(unsigned-byte 8) :initial-element 120) keep)))))))

(main)

;; The JSON pre-scan of lossless-json-scan.ts, for one-byte text copied into this module's memory:
;; it enforces the nesting limit and reports every number literal JSON.parse might alter, exactly
;; as scanJsonScalar does (same classification, same positions), at SIMD speed inside strings:
;; 16 bytes are checked for a quote or a backslash at once, where the scalar scan makes one
;; String.prototype.indexOf call per string. The bytes are never validated here: JSON.parse does
;; that afterwards, so for invalid text the scan only has to end, in linear time.
;;
;; Built by scripts/build-wasm.mjs into json-scan-wasm.ts; a test assembles this file again and
;; compares, so the bytes shipped are always these instructions.
;;
;; Memory: [0, 65536) holds the literals found, as (start, end) pairs of i32 offsets relative to
;; the text; the text starts at 65536 and is followed by at least 32 quote bytes, so a string or a
;; number running into the end stops without a bounds check.
(module
  (memory (export "memory") 2)
  ;; Where the scan stopped, the nesting depth there, and how many literals it wrote.
  (global $position (export "position") (mut i32) (i32.const 0))
  (global $depth (export "depth") (mut i32) (i32.const 0))
  (global $count (export "count") (mut i32) (i32.const 0))

  ;; Scans memory[from, end) with the nesting depth in $depth. Returns 0 when the text is scanned,
  ;; 1 when an array or object would open deeper than maxDepth ($position is its offset), 2 when
  ;; the literal area is full (the caller reads it, then scans on from $position).
  (func (export "scan") (param $i i32) (param $end i32) (param $maxDepth i32) (result i32)
    (local $c i32) (local $d i32) (local $mask i32) (local $bytes v128) (local $depth i32) (local $count i32)
    (local $start i32) (local $digits i32) (local $insignificant i32) (local $significant i32)
    (local $dot i32) (local $other i32) (local $last i32) (local $exact i32)
    (local.set $depth (global.get $depth))
    (block $done
      (loop $main
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $c (i32.load8_u (local.get $i)))

        ;; A string: skip to the quote that ends it, 16 bytes at a time.
        (if (i32.eq (local.get $c) (i32.const 0x22))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (block $closed
              (loop $string
                (local.set $bytes (v128.load (local.get $i)))
                (local.set $mask
                  (i8x16.bitmask
                    (v128.or
                      (i8x16.eq (local.get $bytes) (v128.const i8x16 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22 0x22))
                      (i8x16.eq (local.get $bytes) (v128.const i8x16 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c 0x5c)))))
                (if (i32.eqz (local.get $mask))
                  (then
                    (local.set $i (i32.add (local.get $i) (i32.const 16)))
                    (br $string)))
                (local.set $i (i32.add (local.get $i) (i32.ctz (local.get $mask))))
                ;; A backslash escapes the next byte, whatever it is (a quote or a backslash too).
                (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 0x5c))
                  (then
                    (local.set $i (i32.add (local.get $i) (i32.const 2)))
                    (br $string)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $closed)))
            (br $main)))

        ;; "[" or "{" opens a level (0x5b | 0x20 = 0x7b), "]" or "}" closes one.
        (if (i32.eq (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x7b))
          (then
            (if (i32.ge_u (local.get $depth) (local.get $maxDepth))
              (then
                (global.set $position (local.get $i))
                (global.set $depth (local.get $depth))
                (global.set $count (local.get $count))
                (return (i32.const 1))))
            (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $main)))
        (if (i32.eq (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x7d))
          (then
            (if (local.get $depth)
              (then (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $main)))

        ;; A number: "-" or a digit. Classified while read, as in the scalar scan.
        (if (i32.or (i32.eq (local.get $c) (i32.const 0x2d)) (i32.le_u (i32.sub (local.get $c) (i32.const 0x30)) (i32.const 9)))
          (then
            (local.set $start (local.get $i))
            (local.set $digits (i32.const 0))
            (local.set $insignificant (i32.const 0))
            (local.set $significant (i32.const 0))
            (local.set $dot (i32.const 0))
            (local.set $other (i32.const 0))
            (if (i32.eq (local.get $c) (i32.const 0x2d))
              (then (local.set $i (i32.add (local.get $i) (i32.const 1)))))
            (block $literalEnd
              (loop $literal
                (local.set $d (i32.load8_u (local.get $i)))
                (if (i32.le_u (i32.sub (local.get $d) (i32.const 0x30)) (i32.const 9))
                  (then
                    (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
                    (if (i32.eqz (local.get $significant))
                      (then
                        (if (i32.eq (local.get $d) (i32.const 0x30))
                          (then (local.set $insignificant (i32.add (local.get $insignificant) (i32.const 1))))
                          (else (local.set $significant (i32.const 1))))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $literal)))
                (if (i32.and (i32.eq (local.get $d) (i32.const 0x2e)) (i32.eqz (local.get $dot)))
                  (then
                    (local.set $dot (i32.const 1))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $literal)))
                ;; An exponent, a sign inside or a second dot: left to the exact check in JavaScript.
                (if (i32.or
                      (i32.or (i32.eq (local.get $d) (i32.const 0x2e)) (i32.eq (local.get $d) (i32.const 0x65)))
                      (i32.or (i32.eq (local.get $d) (i32.const 0x45))
                              (i32.or (i32.eq (local.get $d) (i32.const 0x2b)) (i32.eq (local.get $d) (i32.const 0x2d)))))
                  (then
                    (local.set $other (i32.const 1))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $literal)))))
            (local.set $last (i32.load8_u (i32.sub (local.get $i) (i32.const 1))))
            (if (local.get $other)
              (then (local.set $exact (i32.const 0)))
              (else
                (if (i32.eqz (local.get $dot))
                  (then
                    ;; An integer: exact below 16 digits, except -0.
                    (local.set $exact
                      (i32.and
                        (i32.lt_u (local.get $digits) (i32.const 16))
                        (i32.eqz
                          (i32.and
                            (i32.eq (local.get $c) (i32.const 0x2d))
                            (i32.and (i32.eq (local.get $digits) (i32.const 1)) (i32.eq (local.get $last) (i32.const 0x30))))))))
                  (else
                    ;; A decimal: exact with up to 15 significant digits (DBL_DIG), no trailing
                    ;; zero, and not below 1e-6 (a double would be written with an exponent).
                    (local.set $exact
                      (i32.and
                        (i32.and
                          (i32.ne (local.get $last) (i32.const 0x30))
                          (i32.le_u (i32.sub (local.get $digits) (local.get $insignificant)) (i32.const 15)))
                        (i32.lt_u (local.get $insignificant) (i32.const 7))))))))
            (if (i32.eqz (local.get $exact))
              (then
                (i32.store (i32.shl (local.get $count) (i32.const 3)) (i32.sub (local.get $start) (i32.const 65536)))
                (i32.store (i32.add (i32.shl (local.get $count) (i32.const 3)) (i32.const 4)) (i32.sub (local.get $i) (i32.const 65536)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (if (i32.eq (local.get $count) (i32.const 8192))
                  (then
                    (global.set $position (local.get $i))
                    (global.set $depth (local.get $depth))
                    (global.set $count (local.get $count))
                    (return (i32.const 2))))))
            (br $main)))

        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $main)))
    (global.set $position (local.get $i))
    (global.set $depth (local.get $depth))
    (global.set $count (local.get $count))
    (i32.const 0))
)

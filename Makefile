# dialab — see README.md.  `make demo` and `make check` are the two commands.
VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/dialab

CC      ?= cc
CFLAGS  ?= -g -O2
CPPFLAGS += -Iinclude -Ibuild -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 \
            -D_DEFAULT_SOURCE -DDIALAB_VERSION='"$(VERSION)"' \
            -DDIALAB_MANDIR='"$(MANDIR)"' -DDIALAB_DATADIR='"$(DATADIR)"'
WFLAGS   = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wconversion -Wformat=2 -Wvla
LDLIBS  += -lsqlite3 -ljansson -lreadline $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw) -lm
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

LIB_SRC  = $(filter-out src/dialab.c,$(wildcard src/*.c))
CMD_SRC  = $(wildcard src/cmd/*.c)
HDRS     = $(wildcard include/dialab/*.h) build/schema.h build/catalog-json.h
UNIT_SRC = $(wildcard tests/unit/t-*.c)

OBJ      = $(patsubst src/%.c,build/obj/%.o,$(LIB_SRC) $(CMD_SRC))
SAN_OBJ  = $(patsubst src/%.c,build/san/%.o,$(LIB_SRC) $(CMD_SRC))
UNIT     = $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
SAN_UNIT = $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRC))
CMD_T    = $(wildcard tests/cmd/t-*.sh)
TUI_T    = $(wildcard tests/tui/t-*.sh)
MAN1     = $(wildcard man/*.1)
MAN5     = $(wildcard man/*.5)

PROVE    = prove --exec tests/run-one
SHARED  ?= ../shared

all: dialab

deps:
	@scripts/deps.sh build

dialab: build/obj/dialab.o $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/san/dialab: build/san/dialab.o $(SAN_OBJ)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WFLAGS) -c -o $@ $<

build/san/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SANFLAGS) $(WFLAGS) -c -o $@ $<

build/schema.h: db/schema.sql
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp
	mv $@.tmp $@

build/catalog-json.h: db/catalog.json
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp
	mv $@.tmp $@

build/tests/%: tests/unit/%.c tests/tap.h $(OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WFLAGS) -o $@ $< $(OBJ) $(LDLIBS)

build/san/tests/%: tests/unit/%.c tests/tap.h $(SAN_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(SANFLAGS) $(WFLAGS) -o $@ $< $(SAN_OBJ) $(LDLIBS)

check: check-deps
	$(MAKE) dialab build/san/dialab $(UNIT) $(SAN_UNIT)
	mandoc -Tlint -W warning $(MAN1) $(MAN5)
	$(PROVE) $(UNIT) $(CMD_T) $(TUI_T)
	DIALAB_BIN=build/san/dialab $(PROVE) $(SAN_UNIT) $(CMD_T)
	DIALAB_VALGRIND=1 $(PROVE) $(CMD_T)

check-deps:
	@scripts/deps.sh check

demo: deps
	$(MAKE) dialab
	./dialab demo

bench: check-deps
	$(MAKE) dialab build/snips-quality
	tests/bench/import.sh
	tests/bench/review.sh
	tests/bench/label.sh
	build/snips-quality $(SHARED)/data/snips/train $(SHARED)/data/snips/test

build/snips-quality: tests/bench/snips-quality.c $(OBJ)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WFLAGS) -o $@ $< $(OBJ) $(LDLIBS)

install: dialab
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 dialab $(DESTDIR)$(BINDIR)/dialab
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -d $(DESTDIR)$(DATADIR)
	install -m 644 db/demo.jsonl $(DESTDIR)$(DATADIR)/demo.jsonl

clean:
	rm -rf build dialab db/demo.db db/demo.db-wal db/demo.db-shm

.PHONY: all deps check check-deps demo bench install clean
.DELETE_ON_ERROR:
